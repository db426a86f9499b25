import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { edgeError, quoted } from './errors';
import { isStateChanging } from './request';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Over HTTP a body announces itself (Content-Length or Transfer-Encoding): `curl -X DELETE`
 * sends neither, and has none. A Request made in process (a test's) only has one.
 */
function hasBody(c: Context): boolean {
  if (c.req.header('transfer-encoding') !== undefined) return true;
  const length = c.req.header('content-length');
  if (length !== undefined) return length.trim() !== '0';
  const overHttp = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
  return !overHttp && c.req.raw.body !== null;
}

/**
 * Request bodies are JSON, and nothing else: a cross-site `<form>` can only send form
 * encodings or text/plain, so it cannot reach a route that would act on it.
 */
export function requireJsonBodies(): MiddlewareHandler {
  return async (c, next) => {
    if (!isStateChanging(c.req.method)) return next();
    if (!hasBody(c)) return next();
    const type = c.req.header('content-type');
    if (type !== undefined && /^application\/json\s*(;|$)/i.test(type)) return next();
    return edgeError(
      c,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `request bodies must be JSON, sent with "Content-Type: application/json" (this one was ${type === undefined ? 'sent with no Content-Type' : quoted(type)})`,
    );
  };
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * At most `maxBytes` a body: a Content-Length above it is refused before anything is read, a
 * chunked body as soon as it passes it (Hono's bodyLimit).
 */
export function limitBodies(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      // The rest of the body is never read: the connection cannot carry another request.
      c.header('connection', 'close');
      return edgeError(
        c,
        413,
        'PAYLOAD_TOO_LARGE',
        `the request body is larger than this server's limit of ${formatBytes(maxBytes)} (RETRACE_MAX_BODY_BYTES)`,
      );
    },
  });
  // A GET or HEAD reaches routes with no body (a Fetch Request cannot hold one): there is
  // nothing to measure; asking would build the whole Request for the hot reads.
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next));
}
