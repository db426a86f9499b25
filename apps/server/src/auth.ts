import { bearerToken, sameSecret } from '@retrace/config';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const TOKEN_COOKIE = 'retrace_token';

function presentedToken(c: Context): string | null {
  return (
    bearerToken(c.req.header('authorization')) ?? c.req.query('token') ?? getCookie(c, TOKEN_COOKIE) ?? null
  );
}

/**
 * Bearer-token guard for everything but the paths in `open`. A browser can't set headers
 * on EventSource or downloads, so the token is also taken from `?token=` (which sets a
 * SameSite=Strict cookie, so the URL printed at start-up signs the browser in) or that cookie.
 */
export function requireToken(token: string | undefined, open: string[]): MiddlewareHandler {
  return async (c, next) => {
    if (!token || open.includes(c.req.path)) return next();
    const given = presentedToken(c);
    if (given === null || !sameSecret(given, token)) {
      c.header('WWW-Authenticate', 'Bearer realm="retrace"');
      return c.json(
        {
          error: {
            code: 'UNAUTHORIZED',
            message:
              'This Retrace server requires a token: send "Authorization: Bearer <RETRACE_TOKEN>", or open the URL with ?token=<RETRACE_TOKEN> once in a browser.',
          },
        },
        401,
      );
    }
    if (c.req.query('token') !== undefined) {
      setCookie(c, TOKEN_COOKIE, given, { httpOnly: true, sameSite: 'Strict', path: '/' });
    }
    return next();
  };
}
