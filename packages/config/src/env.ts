import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

export { isLoopback } from './loopback';

/** A configuration value that is wrong: the message names each variable at fault. */
export class EnvError extends Error {
  override name = 'EnvError';
}

/** An unset variable and an empty one mean the same: none. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const port = z.coerce.number().int().min(0).max(65535);
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
export const secret = z.string().min(16, 'must be at least 16 characters');

/** What every Retrace process reads: where its data lives, and which models it runs. */
export const commonEnv = {
  RETRACE_DATA_DIR: z.string().min(1).default('.retrace'),
  RETRACE_RUNNER_SECRET: optional(secret),
  OPENAI_API_KEY: optional(z.string().min(1)),
  OPENAI_BASE_URL: optional(httpUrl),
  RETRACE_AGENT_MODEL: optional(z.string().min(1)),
  RETRACE_CODEX_MODEL: optional(z.string().min(1)),
};

/** Parses the environment once, at start-up; a bad value names the variable. */
export function parseEnvWith<T extends z.ZodObject>(schema: T, source: NodeJS.ProcessEnv): z.output<T> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(configProblems(parsed.error.issues.map((i) => [i.path.join('.'), i.message])));
  }
  return parsed.data;
}

/** The message of an EnvError: one line a variable. */
export function configProblems(problems: Array<[variable: string, message: string]>): string {
  return `Invalid configuration:\n${problems.map(([name, message]) => `  ${name}: ${message}`).join('\n')}`;
}

/** Where the user ran npm: turbo runs each script inside its package folder. */
export function invocationDir(source: NodeJS.ProcessEnv = process.env): string {
  return source.TURBO_INVOCATION_DIR ?? source.INIT_CWD ?? process.cwd();
}

/** RETRACE_DATA_DIR as an absolute path, relative ones taken from where the user ran npm. */
export function resolveDataDir(dataDir: string, cwd: string): string {
  return isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir);
}
