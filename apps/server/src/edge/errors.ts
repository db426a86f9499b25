import { type TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * What the edge refuses before any route runs, in the shape the caller reads: tRPC's error
 * under /trpc (so the typed client shows the message), the REST routes' everywhere else.
 */
export function edgeError(
  c: Context,
  status: ContentfulStatusCode,
  code: TRPC_ERROR_CODE_KEY,
  message: string,
) {
  if (/^\/trpc(\/|$)/.test(c.req.path)) {
    return c.json(
      { error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status } } },
      status,
    );
  }
  return c.json({ error: { code, message } }, status);
}

/**
 * What a client is told about an unexpected failure: which operation failed and the kind of
 * error (ENOENT, SQLITE_BUSY…), never its message, which can hold paths on this machine.
 */
export function internalErrorMessage(operation: string, cause: unknown): string {
  const code = (cause as { code?: unknown } | null | undefined)?.code;
  const kind = typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? ` (${code})` : '';
  return `${operation} failed on the server${kind}; the server's log has the details`;
}

/** Echoed request values stay short: a refusal names what it refused, not a megabyte of it. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}
