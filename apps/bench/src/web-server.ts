import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Api } from '@retrace/api';
import { createApp } from '@retrace/server/app';

// The web app's build, as the server serves it.
export const webDist = join(
  dirname(createRequire(import.meta.url).resolve('@retrace/web/package.json')),
  'dist',
);

/**
 * The server's app over `api`, on a free loopback port, with no token (as RETRACE_AUTH=none
 * on loopback): a page's figure is the page's, not the sign-in's.
 */
export async function serveWeb(api: Api): Promise<{ url: string; close: () => void }> {
  let port = 0;
  const app = createApp({ api, webDist, token: null, port: () => port });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
