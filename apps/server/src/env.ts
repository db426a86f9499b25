import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  RETRACE_HOST: z.string().min(1).default('127.0.0.1'),
  RETRACE_PORT: port.default(8787),
  RETRACE_DATA_DIR: z.string().min(1).default('.retrace'),
  RETRACE_DATABASE_URL: z
    .string()
    .regex(
      /^(file:|libsql:|https?:|wss?:|:memory:$)/,
      'must start with file:, libsql://, http(s):// or ws(s)://',
    )
    .optional(),
});

export type Env = z.infer<typeof envSchema> & { dataDir: string; databaseUrl: string };

/** Parses the environment once, at start-up; a bad value names the variable and stops the process. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new EnvError(`Invalid configuration:\n${problems}`);
  }
  const env = parsed.data;
  const dataDir = isAbsolute(env.RETRACE_DATA_DIR)
    ? env.RETRACE_DATA_DIR
    : resolve(cwd, env.RETRACE_DATA_DIR);
  return {
    ...env,
    dataDir,
    databaseUrl: env.RETRACE_DATABASE_URL ?? `file:${resolve(dataDir, 'retrace.db')}`,
  };
}

export class EnvError extends Error {
  override name = 'EnvError';
}
