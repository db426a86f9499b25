import { join } from 'node:path';
import { type Api, createApi } from '@retrace/api';
import { createDb, migrate } from '@retrace/db';
import { createLocalRunnerClient, createRunner } from '@retrace/runner';

/**
 * The real API on a database file in `dir`, with an in-process runner that no test starts a
 * run on: it never reaches a model.
 */
export async function createInProcessApi(dir: string): Promise<Api> {
  const db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
  await migrate(db);
  const runner = createRunner({
    dataDir: dir,
    models: {
      mode: 'offline',
      agent: { model: 'none', baseURL: 'http://127.0.0.1:9/v1' },
      codex: { model: 'none', baseURL: 'http://127.0.0.1:9/v1' },
    },
    environment: {},
  });
  return createApi({ db, runner: createLocalRunnerClient(runner), dataDir: dir, maxConcurrency: 1 });
}
