import { serve } from '@hono/node-server';
import { EnvError, runnerModels } from '@retrace/config';
import { startOfflineModel } from '@retrace/offline-model';
import { createRunner } from '@retrace/runner';
import { createRunnerApp } from './app';
import { parseRunnerEnv } from './env';

/** The standalone runner (`npm run runner`): env → models → runner → HTTP. */
async function main() {
  const env = parseRunnerEnv(process.env);
  // No key: the offline model stands in, started here, on loopback.
  const offline = env.OPENAI_API_KEY ? null : await startOfflineModel();
  // Commands start from this process's environment, less Retrace's variables and secrets.
  const runner = createRunner({
    dataDir: env.dataDir,
    models: runnerModels(env, offline),
    environment: process.env,
  });
  const app = createRunnerApp({ runner, secret: env.RETRACE_RUNNER_SECRET });
  const server = serve(
    { fetch: app.fetch, hostname: env.RETRACE_RUNNER_HOST, port: env.RETRACE_RUNNER_PORT },
    (info) => {
      const mode = offline
        ? `offline model (a simulator, not an LLM) at ${offline.baseURL}`
        : 'OpenAI models';
      console.log(`Retrace runner at http://${info.address}:${info.port}/ — data in ${env.dataDir}, ${mode}`);
      if (!env.RETRACE_RUNNER_SECRET)
        console.log('No RETRACE_RUNNER_SECRET: requests need no token (loopback only).');
    },
  );

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await runner.close();
    server.close();
    await offline?.close();
    process.exit(0);
  };
  // `on`, not `once`: a second signal (Ctrl-C reaches it twice through npm) must not kill the shutdown.
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
