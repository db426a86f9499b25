import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApi } from '@retrace/api';
import { EnvError, runnerModels } from '@retrace/config';
import { createDb, migrate } from '@retrace/db';
import { type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import type { RunnerClient } from '@retrace/protocol';
import { createHttpRunnerClient, createLocalRunnerClient, createRunner, type Runner } from '@retrace/runner';
import { createApp } from './app';
import { parseEnv } from './env';

const VERSION = '0.1.0';
const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The composition root: env → database → models → runner → API → HTTP. */
async function main() {
  // Relative paths are relative to where the user ran npm (turbo runs this in apps/server).
  const env = parseEnv(process.env);
  mkdirSync(env.dataDir, { recursive: true });
  const db = await createDb({ url: env.databaseUrl, authToken: env.RETRACE_DATABASE_AUTH_TOKEN });
  await migrate(db);

  let offline: OfflineModel | null = null;
  let runner: Runner | null = null;
  let runnerClient: RunnerClient;
  if (env.RETRACE_RUNNER_URL && env.RETRACE_RUNNER_SECRET) {
    runnerClient = createHttpRunnerClient({ url: env.RETRACE_RUNNER_URL, secret: env.RETRACE_RUNNER_SECRET });
  } else {
    // No key: the offline model stands in, started here, on loopback.
    offline = env.OPENAI_API_KEY ? null : await startOfflineModel();
    runner = createRunner({ dataDir: env.dataDir, models: runnerModels(env, offline), version: VERSION });
    runnerClient = createLocalRunnerClient(runner);
  }

  const api = createApi({
    db,
    runner: runnerClient,
    dataDir: env.dataDir,
    maxConcurrency: env.RETRACE_MAX_CONCURRENCY,
    secrets: [
      env.RETRACE_TOKEN,
      env.OPENAI_API_KEY,
      env.RETRACE_RUNNER_SECRET,
      env.RETRACE_DATABASE_AUTH_TOKEN,
    ],
    modelMode: env.OPENAI_API_KEY || env.RETRACE_RUNNER_URL ? 'openai' : 'offline',
    remoteRunner: Boolean(env.RETRACE_RUNNER_URL),
    version: VERSION,
    onRunError: (runId, error) => console.error(`run ${runId}:`, error),
  });
  const recovered = await api.start();
  if (recovered.interrupted > 0)
    console.log(`${recovered.interrupted} run(s) left running by a stopped server were marked failed.`);
  if (recovered.requeued > 0) console.log(`${recovered.requeued} queued run(s) were queued again.`);

  const app = createApp({ api, token: env.RETRACE_TOKEN, webDist });
  const server = serve(
    { fetch: app.fetch, hostname: env.RETRACE_HOST, port: env.RETRACE_PORT },
    (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      console.log(`Retrace is running at http://${host}:${info.port}/`);
      console.log(`  data: ${env.dataDir}`);
      console.log(
        offline
          ? '  model: the offline model (a deterministic simulator, not an LLM; set OPENAI_API_KEY for real models)'
          : env.RETRACE_RUNNER_URL
            ? `  runner: ${env.RETRACE_RUNNER_URL}`
            : '  model: OpenAI',
      );
      if (env.RETRACE_TOKEN)
        console.log('  a token is required: open the URL once with ?token=<RETRACE_TOKEN>');
    },
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    // Ctrl-C reaches the server twice (from the terminal and through npm and turbo).
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: canceling running runs and stopping…`);
    await api.stop('canceled: server stopped');
    await runner?.close();
    server.close();
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    await offline?.close();
    // The database is not closed by hand: a subscription may still be reading, and closing
    // the native client under it crashes the process. Exiting releases it; WAL keeps it whole.
    process.exit(0);
  };
  // `on`, not `once`: with no listener left, a signal during shutdown would kill the process.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
