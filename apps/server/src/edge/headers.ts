import { secureHeaders } from 'hono/secure-headers';

/**
 * On every answer. The SPA runs only its own scripts and talks only to its own origin (tRPC
 * and SSE); no page may frame it or learn where it came from.
 */
export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // The dialogs' scroll lock (Radix, react-remove-scroll) adds a <style> element at run
      // time; styles cannot run code, scripts stay 'self' only.
      styleSrc: ["'self'", "'unsafe-inline'"],
      // The favicon is a data: URL.
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // HSTS is for whoever terminates TLS in front of Retrace; over loopback http it means nothing.
    strictTransportSecurity: false,
  });
}
