import type { MiddlewareHandler } from 'hono';
import { edgeError, quoted } from './errors';
import { isStateChanging, requestHost, requestScheme } from './request';

/**
 * A state-changing request from a browser must come from this server's own pages. Browsers
 * say where a request comes from (`Origin`, `Sec-Fetch-Site`); curl and the Node client send
 * neither, and pass.
 */
export function requireSameOrigin(publicUrl: URL | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!isStateChanging(c.req.method)) return next();
    const own = `${requestScheme(c)}://${requestHost(c)}`;
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== own && origin !== publicUrl?.origin) {
      return edgeError(
        c,
        403,
        'FORBIDDEN',
        `a ${c.req.method} from origin ${quoted(origin)} is refused: only pages of ${own}${publicUrl ? ` or ${publicUrl.origin}` : ''} may change anything`,
      );
    }
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return edgeError(
        c,
        403,
        'FORBIDDEN',
        `a ${c.req.method} with Sec-Fetch-Site ${quoted(site)} is refused: only same-origin requests may change anything`,
      );
    }
    return next();
  };
}
