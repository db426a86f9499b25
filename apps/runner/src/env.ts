import {
  commonEnv,
  configProblems,
  EnvError,
  invocationDir,
  isLoopback,
  parseEnvWith,
  port,
  resolveDataDir,
} from '@retrace/config';
import { z } from 'zod';

const envSchema = z.object({
  ...commonEnv,
  RETRACE_RUNNER_HOST: z.string().min(1).default('127.0.0.1'),
  RETRACE_RUNNER_PORT: port.default(8788),
});

export type RunnerEnv = z.output<typeof envSchema> & { dataDir: string };

/** The standalone runner's configuration; a bad value names the variable. */
export function parseRunnerEnv(source: NodeJS.ProcessEnv, cwd = invocationDir(source)): RunnerEnv {
  const env = parseEnvWith(envSchema, source);
  if (!isLoopback(env.RETRACE_RUNNER_HOST) && !env.RETRACE_RUNNER_SECRET) {
    throw new EnvError(
      configProblems([
        [
          'RETRACE_RUNNER_SECRET',
          `required when RETRACE_RUNNER_HOST (${env.RETRACE_RUNNER_HOST}) is not loopback`,
        ],
      ]),
    );
  }
  return { ...env, dataDir: resolveDataDir(env.RETRACE_DATA_DIR, cwd) };
}
