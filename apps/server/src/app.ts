import { trpcServer } from '@hono/trpc-server';
import type { Api } from '@retrace/api';
import type { TRPCError } from '@trpc/server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createAnswerCache } from './answer-cache';
import { requireToken } from './auth';
import { DEFAULT_MAX_BODY_BYTES, limitBodies, requireJsonBodies } from './edge/bodies';
import { edgeError, internalErrorMessage } from './edge/errors';
import { requireKnownHost } from './edge/hosts';
import { requireSameOrigin } from './edge/same-origin';
import { createRestRoutes } from './rest';
import { createStaticRoutes } from './static';
import { trpcQueries } from './trpc-queries';

export interface AppOptions {
  api: Api;
  /** The token every route but /healthz needs; null with RETRACE_AUTH=none. */
  token: string | null;
  /** The built web app (apps/web/dist). */
  webDist: string;
  /** The port the server listens on, known once it has bound (tests ask for port 0). */
  port: () => number;
  /** RETRACE_HOST. */
  bindHost?: string;
  /** RETRACE_PUBLIC_URL. */
  publicUrl?: URL | undefined;
  /** RETRACE_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
}

/**
 * The HTTP edge, in the order a request meets it: the Host allowlist, the same-origin rule
 * for changes, the token, JSON-only bodies and their size; then tRPC, the REST routes and the
 * SPA. /healthz answers anyone, for probes. The headers every answer carries are the
 * server's (`createSecuredServer`), so that no answer goes without them.
 */
export function createApp({
  api,
  token,
  webDist,
  port,
  bindHost = '127.0.0.1',
  publicUrl,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
}: AppOptions) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.use('*', requireKnownHost({ port, bindHost, publicUrl }));
  app.use('*', requireSameOrigin(publicUrl));
  if (token !== null) app.use('*', requireToken({ token, port, publicUrl }));
  app.use('*', requireJsonBodies());
  app.use('*', limitBodies(maxBodyBytes));
  const trpc = {
    endpoint: '/trpc',
    router: api.router,
    createContext: () => ({ ...api.createContext() }),
    onError: ({ error, path }: { error: TRPCError; path?: string | undefined }) => {
      if (error.code !== 'INTERNAL_SERVER_ERROR') return;
      console.error(`tRPC ${path ?? '?'}:`, error.cause ?? error);
      // The API's error formatter shapes the answer from this very error, after this hook.
      error.message = internalErrorMessage(path ?? 'the request', error.cause);
    },
  };
  const version = api.databaseVersion;
  const answers = version ? createAnswerCache({ version }) : undefined;
  app.use('/trpc/*', trpcQueries({ ...trpc, answers }), trpcServer(trpc));
  app.route('/api', createRestRoutes(api, answers));
  app.all('/api/*', (c) => edgeError(c, 404, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`));
  app.route('/', createStaticRoutes(webDist));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    console.error(`${c.req.method} ${c.req.path}:`, error);
    return edgeError(
      c,
      500,
      'INTERNAL_SERVER_ERROR',
      internalErrorMessage(`${c.req.method} ${c.req.path}`, error),
    );
  });
  return app;
}
