import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApi } from '@retrace/api';
import {
  EnvError,
  prepareRuntimeDir,
  pruneRuntimeFiles,
  readOrCreateToken,
  removeRuntimeFile,
  runnerModels,
  tokenFilePath,
  writeRuntimeFile,
} from '@retrace/config';
import { createDb, migrate } from '@retrace/db';
import { type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import type { RunnerClient } from '@retrace/protocol';
import { createHttpRunnerClient, createLocalRunnerClient, createRunner, type Runner } from '@retrace/runner';
import { createApp } from './app';
import { prepareDataDir } from './data-dir';
import { createSecuredServer } from './edge/headers';
import { type Env, parseEnv } from './env';

const VERSION = '0.1.0';
const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The composition root: env → database → models → runner → API → HTTP. */
async function main() {
  // Relative paths are relative to where the user ran npm (turbo runs this in apps/server).
  const env = parseEnv(process.env);
  prepareDataDir(env.dataDir);
  // Jupyter's way: with no RETRACE_TOKEN, a token generated at first start and kept in the data dir.
  const token =
    env.RETRACE_AUTH === 'none' ? null : (env.RETRACE_TOKEN ?? readOrCreateToken(env.dataDir).token);
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
    runner = createRunner({
      dataDir: env.dataDir,
      models: runnerModels(env, offline),
      // Commands start from this process's environment, less Retrace's variables and secrets,
      // and cannot read where this server leaves its token for the CLI.
      environment: process.env,
      hiddenPaths: [prepareRuntimeDir()],
      version: VERSION,
    });
    runnerClient = createLocalRunnerClient(runner);
  }

  let baseUrl: string | URL | undefined = env.publicUrl;
  const api = createApi({
    db,
    runner: runnerClient,
    dataDir: env.dataDir,
    maxConcurrency: env.RETRACE_MAX_CONCURRENCY,
    maxQueuedRuns: env.RETRACE_MAX_QUEUED_RUNS,
    secrets: [
      token ?? undefined,
      env.OPENAI_API_KEY,
      env.RETRACE_RUNNER_SECRET,
      env.RETRACE_DATABASE_AUTH_TOKEN,
    ],
    modelMode: env.OPENAI_API_KEY || env.RETRACE_RUNNER_URL ? 'openai' : 'offline',
    remoteRunner: Boolean(env.RETRACE_RUNNER_URL),
    version: VERSION,
    gitAuthor: {
      ...(env.RETRACE_GIT_AUTHOR_NAME ? { name: env.RETRACE_GIT_AUTHOR_NAME } : {}),
      ...(env.RETRACE_GIT_AUTHOR_EMAIL ? { email: env.RETRACE_GIT_AUTHOR_EMAIL } : {}),
    },
    // Known once the server listens (the port may be 0).
    runUrl: (runId) => (baseUrl ? new URL(`/runs/${runId}`, baseUrl).href : null),
    onRunError: (runId, error) => console.error(`run ${runId}:`, error),
  });
  const recovered = await api.start();
  if (recovered.interrupted > 0)
    console.log(`${recovered.interrupted} run(s) left running by a stopped server were marked failed.`);
  if (recovered.requeued > 0) console.log(`${recovered.requeued} queued run(s) were queued again.`);

  // Known once bound (the tests start servers on port 0), before any request can arrive.
  let boundPort = 0;
  const app = createApp({
    api,
    token,
    webDist,
    port: () => boundPort,
    bindHost: env.RETRACE_HOST,
    publicUrl: env.publicUrl,
    maxBodyBytes: env.RETRACE_MAX_BODY_BYTES,
  });
  const server = serve(
    {
      fetch: app.fetch,
      hostname: env.RETRACE_HOST,
      port: env.RETRACE_PORT,
      createServer: createSecuredServer,
    },
    (info: AddressInfo) => {
      boundPort = info.port;
      const url = localUrl(info);
      baseUrl ??= url;
      // The CLI and the typed client of this user find the server's token here; gone at exit.
      pruneRuntimeFiles();
      const runtimeFile = writeRuntimeFile({ url, port: info.port, token, pid: process.pid });
      process.once('exit', () => removeRuntimeFile(info.port));
      for (const line of startupLines(env, { url, token, runtimeFile, offline: offline !== null })) {
        console.log(line);
      }
    },
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    // Ctrl-C reaches the server twice (from the terminal and through npm and turbo).
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: canceling running runs and stopping…`);
    // Runs end canceled, and whoever follows one has been sent its final status.
    await api.stop('canceled: server stopped');
    await runner?.close();
    // Those last events are still on their way out: the streams that carry them end, and the
    // server closes once every connection has; what never ends (a project's live list) is cut
    // after a second.
    await Promise.race([
      new Promise((resolve) => server.close(resolve)),
      new Promise((resolve) => setTimeout(resolve, 1000)),
    ]);
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

/** Where this machine reaches the server: a wildcard bind is reached through loopback. */
function localUrl(info: AddressInfo): string {
  const address = info.address === '0.0.0.0' || info.address === '::' ? '127.0.0.1' : info.address;
  return `http://${address.includes(':') ? `[${address}]` : address}:${info.port}`;
}

function startupLines(
  env: Env,
  started: { url: string; token: string | null; runtimeFile: string; offline: boolean },
): string[] {
  const { url, token, runtimeFile, offline } = started;
  // A token the user chose is theirs to know; one generated here is printed, as Jupyter does.
  const generated = token !== null && !env.RETRACE_TOKEN;
  const signIn = (base: string) => `${base}/${generated ? `?token=${token}` : ''}`;
  return [
    `Retrace is running at ${signIn(url)}`,
    ...(env.publicUrl ? [`  public URL: ${signIn(env.publicUrl.origin)}`] : []),
    `  data: ${env.dataDir}`,
    offline
      ? '  model: the offline model (a deterministic simulator, not an LLM; set OPENAI_API_KEY for real models)'
      : env.RETRACE_RUNNER_URL
        ? `  runner: ${env.RETRACE_RUNNER_URL}`
        : '  model: OpenAI',
    token === null
      ? `  warning: RETRACE_AUTH=none: no token is asked; any program or user of this machine that can reach ${url} can drive agents as this user`
      : generated
        ? `  token: ${tokenFilePath(env.dataDir)}; the retrace CLI on this machine finds it (${runtimeFile})`
        : '  token: RETRACE_TOKEN; open the URL once with ?token=<RETRACE_TOKEN> in a browser',
  ];
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
