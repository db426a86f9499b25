import type { Context } from 'hono';

/** The Host the client sent (a test's app.request sends none: its URL's host stands in). */
export function requestHost(c: Context): string {
  return (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
}

/** https when a proxy in front terminated TLS and said so, else what the socket spoke. */
export function requestScheme(c: Context): 'http' | 'https' {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded === 'https') return 'https';
  return new URL(c.req.url).protocol === 'https:' ? 'https' : 'http';
}

/** The methods that change state. tRPC sends its mutations as POST, its queries as GET. */
export function isStateChanging(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
}
