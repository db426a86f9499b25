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
import { DEFAULT_MAX_BODY_BYTES } from './edge/bodies';

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
  /** Unset means "token". */
  RETRACE_AUTH: optional(z.enum(['token', 'none'], 'must be "token" or "none"')),
  RETRACE_PUBLIC_URL: optional(httpUrl),
  RETRACE_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  RETRACE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024, 'must be at least 1024 (bytes)')
    .max(1024 * 1024 * 1024, 'must be at most 1073741824 (1 GiB)')
    .default(DEFAULT_MAX_BODY_BYTES),
  RETRACE_MAX_QUEUED_RUNS: z.coerce.number().int().min(1).max(100_000).default(50),
  /** Author and committer of the branches made from runs (unset: the API's default, Retrace). */
  RETRACE_GIT_AUTHOR_NAME: optional(z.string().min(1)),
  RETRACE_GIT_AUTHOR_EMAIL: optional(z.string().min(1)),
});

export type Env = z.output<typeof envSchema> & {
  dataDir: string;
  databaseUrl: string;
  publicUrl: URL | undefined;
};

/** Parses the environment once, at start-up; a bad value names the variable and stops the process. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env, cwd = invocationDir(source)): Env {
  const env = parseEnvWith(envSchema, source);
  const publicUrl = env.RETRACE_PUBLIC_URL ? new URL(env.RETRACE_PUBLIC_URL) : undefined;
  if (env.RETRACE_AUTH === 'none') checkNoAuth(env.RETRACE_HOST, publicUrl, env.RETRACE_TOKEN);
  if (env.RETRACE_RUNNER_URL && !env.RETRACE_RUNNER_SECRET) {
    throw new EnvError(configProblems([['RETRACE_RUNNER_SECRET', 'required with RETRACE_RUNNER_URL']]));
  }
  const dataDir = resolveDataDir(env.RETRACE_DATA_DIR, cwd);
  return {
    ...env,
    dataDir,
    databaseUrl: env.RETRACE_DATABASE_URL ?? `file:${resolve(dataDir, 'retrace.db')}`,
    publicUrl,
  };
}

/** RETRACE_AUTH=none only where nobody but this machine's users can reach the server. */
function checkNoAuth(host: string, publicUrl: URL | undefined, token: string | undefined): void {
  const anyone = 'could drive agents on this machine with no token';
  const problem = !isLoopback(host)
    ? `"none" is allowed only on a loopback RETRACE_HOST: anyone who reaches ${host} ${anyone}`
    : publicUrl && !isLoopback(publicUrl.hostname)
      ? `"none" is allowed only without a public RETRACE_PUBLIC_URL: anyone who reaches ${publicUrl.origin} ${anyone}`
      : token
        ? '"none" contradicts RETRACE_TOKEN: unset one of them'
        : null;
  if (problem) throw new EnvError(configProblems([['RETRACE_AUTH', problem]]));
}
