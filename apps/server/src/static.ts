import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Retrace</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Retrace</h1><p>The web app has not been built. Run <code>npm run build</code>, or use the API at <code>/trpc</code> and <code>/api</code>.</p></main></body></html>`;

/**
 * The single-page app: its built files, and index.html for every client-side route
 * (`/projects/…`, `/runs/…`, `/ui/runs/…`) so a deep link or a reload works.
 */
export function createStaticRoutes(webDist: string) {
  const app = new Hono();
  const indexFile = join(webDist, 'index.html');
  const root = relative(process.cwd(), webDist) || '.';

  app.use('/assets/*', async (c, next) => {
    await next();
    // Vite puts a content hash in every asset name: they never change.
    if (c.res.ok) c.header('cache-control', 'public, max-age=31536000, immutable');
  });
  app.use('*', serveStatic({ root }));
  app.get('*', async (c) => {
    if (c.req.path.startsWith('/assets/')) return c.notFound();
    const html = existsSync(indexFile) ? await readFile(indexFile, 'utf8') : PLACEHOLDER;
    c.header('cache-control', 'no-cache');
    return c.html(html);
  });
  return app;
}
