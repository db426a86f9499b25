import { trpcServer } from '@hono/trpc-server';
import type { Api } from '@retrace/api';
import { Hono } from 'hono';
import { requireToken } from './auth';
import { createRestRoutes } from './rest';
import { createStaticRoutes } from './static';

export interface AppOptions {
  api: Api;
  /** RETRACE_TOKEN: when set, every route but /healthz needs it. */
  token?: string | undefined;
  /** The built web app (apps/web/dist). */
  webDist: string;
}

export function createApp({ api, token, webDist }: AppOptions) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.use('*', requireToken(token, ['/healthz']));
  app.use(
    '/trpc/*',
    trpcServer({
      endpoint: '/trpc',
      router: api.router,
      createContext: () => ({ ...api.createContext() }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'}:`, error);
      },
    }),
  );
  app.route('/api', createRestRoutes(api));
  app.all('/api/*', (c) =>
    c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.route('/', createStaticRoutes(webDist));
  return app;
}
