import { isAbsolute, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { z } from 'zod';
import { createRunnerApp } from './app';
import { startModels } from './models';
import { createRunner } from './runner';

// The standalone runner (`npm run runner`): the one place in this package that reads the environment.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const envSchema = z.object({
  RETRACE_RUNNER_HOST: z.string().min(1).default('127.0.0.1'),
  RETRACE_RUNNER_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  RETRACE_DATA_DIR: z.string().min(1).default('.retrace'),
  RETRACE_RUNNER_SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  OPENAI_API_KEY: optional(z.string().min(1)),
  OPENAI_BASE_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  RETRACE_AGENT_MODEL: optional(z.string().min(1)),
  RETRACE_CODEX_MODEL: optional(z.string().min(1)),
});

const parsed = envSchema.safeParse(process.env);
if (!parsed.success) {
  console.error(
    `Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
  );
  process.exit(1);
}
const env = parsed.data;
const loopback = /^(127(\.\d{1,3}){3}|::1|localhost)$/.test(env.RETRACE_RUNNER_HOST);
if (!loopback && !env.RETRACE_RUNNER_SECRET) {
  console.error(
    `Invalid configuration:\n  RETRACE_RUNNER_SECRET: required when RETRACE_RUNNER_HOST (${env.RETRACE_RUNNER_HOST}) is not loopback`,
  );
  process.exit(1);
}
// Relative to where the user ran npm: turbo runs the script inside the package folder.
const invokedFrom = process.env.TURBO_INVOCATION_DIR ?? process.env.INIT_CWD ?? process.cwd();
const dataDir = isAbsolute(env.RETRACE_DATA_DIR)
  ? env.RETRACE_DATA_DIR
  : resolve(invokedFrom, env.RETRACE_DATA_DIR);
const models = await startModels({
  apiKey: env.OPENAI_API_KEY,
  baseURL: env.OPENAI_BASE_URL,
  agentModel: env.RETRACE_AGENT_MODEL,
  codexModel: env.RETRACE_CODEX_MODEL,
});
const runner = createRunner({ dataDir, ...models });
const app = createRunnerApp({ runner, secret: env.RETRACE_RUNNER_SECRET });
const server = serve(
  { fetch: app.fetch, hostname: env.RETRACE_RUNNER_HOST, port: env.RETRACE_RUNNER_PORT },
  (info) => {
    const mode = models.offline
      ? `offline model (a simulator, not an LLM) at ${models.offline.baseURL}`
      : 'OpenAI models';
    console.log(`Retrace runner at http://${info.address}:${info.port}/ — data in ${dataDir}, ${mode}`);
    if (!env.RETRACE_RUNNER_SECRET)
      console.log('No RETRACE_RUNNER_SECRET: requests need no token (loopback only).');
  },
);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await runner.close();
  server.close();
  await models.close();
  process.exit(0);
}
// `on`, not `once`: a second signal (Ctrl-C reaches it twice through npm) must not kill the shutdown.
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
