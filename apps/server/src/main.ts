import { mkdirSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createDb, migrate } from '@retrace/db';
import { createApp } from './app';
import { EnvError, parseEnv } from './env';

async function main() {
  const env = parseEnv();
  mkdirSync(env.dataDir, { recursive: true });
  const db = await createDb({ url: env.databaseUrl });
  await migrate(db);
  const app = createApp();
  const server = serve({ fetch: app.fetch, hostname: env.RETRACE_HOST, port: env.RETRACE_PORT }, (info) => {
    console.log(`Retrace is running at http://${info.address}:${info.port}/`);
  });
  const shutdown = () => {
    server.close();
    db.$client.close();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
