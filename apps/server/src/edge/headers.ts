import { createServer, type RequestListener, type ServerOptions } from 'node:http';

/**
 * The SPA runs only its own scripts and talks only to its own origin (tRPC and SSE); no page
 * may frame it or learn where it came from.
 */
const CONTENT_SECURITY_POLICY = Object.entries({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // The dialogs' scroll lock (Radix, react-remove-scroll) adds a <style> element at run
  // time; styles cannot run code, scripts stay 'self' only.
  'style-src': ["'self'", "'unsafe-inline'"],
  // The favicon is a data: URL.
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
})
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/**
 * On every answer: the CSP, and the rest of the set Hono's `secureHeaders` sends by default.
 * HSTS is for whoever terminates TLS in front of Retrace; over loopback http it means nothing.
 */
const SECURITY_HEADERS: ReadonlyArray<readonly [name: string, value: string]> = [
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/**
 * node:http's `createServer` (for `serve`'s option of that name) whose every answer carries
 * SECURITY_HEADERS, set on the socket's response before the app sees the request: Hono's
 * answers, its adapter's own errors and the streams alike. A route that sends one of them
 * itself has its own value go out. Set here rather than by a middleware: setting them on
 * each Hono response went through its Headers class: 13 µs of a minimal Hono answer's 67 here.
 */
export const createSecuredServer = ((options: ServerOptions, listener: RequestListener) =>
  createServer(options, (req, res) => {
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    return listener(req, res);
  })) as typeof createServer;
