import { resolve } from 'node:path';
import {
  commonEnv,
  configProblems,
  EnvError,
  httpUrl,
  invocationDir,
  isLoopback,
  optional,
  parseEnvWith,
  port,
  resolveDataDir,
  secret,
} from '@retrace/config';
import { z } from 'zod';

const envSchema = z.object({
  ...commonEnv,
  RETRACE_HOST: z.string().min(1).default('127.0.0.1'),
  RETRACE_PORT: port.default(8787),
  RETRACE_DATABASE_URL: optional(
    z
      .string()
      .regex(
        /^(file:|libsql:|https?:|wss?:|:memory:$)/,
        'must start with file:, libsql://, http(s):// or ws(s)://',
      ),
  ),
  RETRACE_DATABASE_AUTH_TOKEN: optional(z.string()),
  RETRACE_RUNNER_URL: optional(httpUrl),
  RETRACE_TOKEN: optional(secret),
  RETRACE_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
});

export type Env = z.output<typeof envSchema> & { dataDir: string; databaseUrl: string };

/** Parses the environment once, at start-up; a bad value names the variable and stops the process. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env, cwd = invocationDir(source)): Env {
  const env = parseEnvWith(envSchema, source);
  if (!isLoopback(env.RETRACE_HOST) && !env.RETRACE_TOKEN) {
    throw new EnvError(
      configProblems([
        [
          'RETRACE_TOKEN',
          `required when RETRACE_HOST (${env.RETRACE_HOST}) is not a loopback address; anyone who can reach the port could drive agents on this machine`,
        ],
      ]),
    );
  }
  if (env.RETRACE_RUNNER_URL && !env.RETRACE_RUNNER_SECRET) {
    throw new EnvError(configProblems([['RETRACE_RUNNER_SECRET', 'required with RETRACE_RUNNER_URL']]));
  }
  const dataDir = resolveDataDir(env.RETRACE_DATA_DIR, cwd);
  return {
    ...env,
    dataDir,
    databaseUrl: env.RETRACE_DATABASE_URL ?? `file:${resolve(dataDir, 'retrace.db')}`,
  };
}
