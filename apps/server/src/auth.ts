import { createHmac } from 'node:crypto';
import { bearerToken, secretMatcher } from '@retrace/config';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { edgeError } from './edge/errors';
import { requestHost, requestScheme } from './edge/request';

/**
 * One cookie name a port: browsers send a host's cookies to all its ports, so two servers on
 * one machine would otherwise overwrite each other's session.
 */
export function sessionCookieName(port: number): string {
  return `retrace_session_${port}`;
}

/**
 * The browser session: derived from the token, never the token itself. A cookie that reaches
 * another port of the host does not give away the token the CLI and the API take; it stays
 * valid across restarts with the same token, and ends when the token changes.
 */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('retrace browser session v1').digest('base64url');
}

/** The SPA's pages, as opposed to the API a client calls. */
const isPage = (path: string) => !/^\/(api|trpc)(\/|$)/.test(path);

const UNAUTHORIZED =
  'This Retrace server needs its token: send "Authorization: Bearer <token>", or open the URL it printed at start-up (…/?token=<token>) once in the browser. On its machine the retrace CLI and the typed client find the token by themselves.';

const SIGN_IN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Retrace: token required</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Retrace needs its token</h1>
<p>Open the URL the server printed when it started (it ends in <code>?token=…</code>), or paste the token here.
It is in the file <code>token</code> of the server's data dir.</p>
<form method="get"><label>Token <input name="token" type="password" autocomplete="off" required></label>
<button type="submit">Sign in</button></form></main></body></html>`;

function unauthorized(c: Context) {
  c.header('WWW-Authenticate', 'Bearer realm="retrace"');
  if (isPage(c.req.path) && c.req.method === 'GET') return c.html(SIGN_IN_PAGE, 401);
  return edgeError(c, 401, 'UNAUTHORIZED', UNAUTHORIZED);
}

export interface TokenOptions {
  token: string;
  /** The port the server listens on, for the cookie's name. */
  port: () => number;
  /** RETRACE_PUBLIC_URL: when it is https, a browser coming through it gets a Secure cookie. */
  publicUrl?: URL | undefined;
}

/**
 * Every route behind it needs the token: as a bearer header (the CLI, the client, curl), as
 * `?token=` (curl, and the URL printed at start-up), or as the session cookie `?token=` sets.
 * A page opened with `?token=` is sent on to the same URL without it, so the token leaves the
 * address bar and the history.
 */
export function requireToken({ token, port, publicUrl }: TokenOptions): MiddlewareHandler {
  const session = sessionValue(token);
  const isToken = secretMatcher(token);
  const isSession = secretMatcher(session);
  return async (c, next) => {
    const bearer = bearerToken(c.req.header('authorization'));
    // The CLI and the client: nothing more to read (the query and cookie are the browser's).
    if (bearer !== null && isToken(bearer)) return next();
    const query = c.req.query('token');
    const cookie = getCookie(c, sessionCookieName(port()));
    const queryValid = query !== undefined && isToken(query);
    const valid = queryValid || (cookie !== undefined && isSession(cookie));
    if (!valid) return unauthorized(c);
    if (!queryValid) return next();

    const https =
      requestScheme(c) === 'https' || (publicUrl?.protocol === 'https:' && requestHost(c) === publicUrl.host);
    setCookie(c, sessionCookieName(port()), session, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: https,
    });
    if (!isPage(c.req.path) || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    const clean = new URL(c.req.url);
    clean.searchParams.delete('token');
    return c.redirect(`${clean.pathname}${clean.search}`, 303);
  };
}
