import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const envSchema = z.object({
  RETRACE_HOST: z.string().min(1).default('127.0.0.1'),
  RETRACE_PORT: port.default(8787),
  RETRACE_DATA_DIR: z.string().min(1).default('.retrace'),
  RETRACE_DATABASE_URL: optional(
    z
      .string()
      .regex(
        /^(file:|libsql:|https?:|wss?:|:memory:$)/,
        'must start with file:, libsql://, http(s):// or ws(s)://',
      ),
  ),
  RETRACE_DATABASE_AUTH_TOKEN: optional(z.string()),
  RETRACE_RUNNER_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  RETRACE_RUNNER_SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  RETRACE_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  RETRACE_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  OPENAI_API_KEY: optional(z.string().min(1)),
  OPENAI_BASE_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  RETRACE_AGENT_MODEL: optional(z.string().min(1)),
  RETRACE_CODEX_MODEL: optional(z.string().min(1)),
});

export type Env = z.infer<typeof envSchema> & { dataDir: string; databaseUrl: string };

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the environment once, at start-up; a bad value names the variable and stops the process. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new EnvError(`Invalid configuration:\n${problems}`);
  }
  const env = parsed.data;
  if (!isLoopback(env.RETRACE_HOST) && !env.RETRACE_TOKEN) {
    throw new EnvError(
      `Invalid configuration:\n  RETRACE_TOKEN: required when RETRACE_HOST (${env.RETRACE_HOST}) is not a loopback address; anyone who can reach the port could drive agents on this machine`,
    );
  }
  if (env.RETRACE_RUNNER_URL && !env.RETRACE_RUNNER_SECRET) {
    throw new EnvError('Invalid configuration:\n  RETRACE_RUNNER_SECRET: required with RETRACE_RUNNER_URL');
  }
  const dataDir = isAbsolute(env.RETRACE_DATA_DIR)
    ? env.RETRACE_DATA_DIR
    : resolve(cwd, env.RETRACE_DATA_DIR);
  return {
    ...env,
    dataDir,
    databaseUrl: env.RETRACE_DATABASE_URL ?? `file:${resolve(dataDir, 'retrace.db')}`,
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
