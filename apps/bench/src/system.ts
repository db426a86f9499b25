import { join } from 'node:path';
import { createApi } from '@retrace/api';
import { runnerModels } from '@retrace/config';
import { closeDb, createDb, migrate } from '@retrace/db';
import { startOfflineModel } from '@retrace/offline-model';
import { createLocalRunnerClient, createRunner } from '@retrace/runner';

/**
 * Retrace in this process, as the server composes it (database file, offline model,
 * embedded runner, API), with a stand-in Codex that prints a recording.
 */
export async function startSystem(dataDir: string, codexBinary: string) {
  const model = await startOfflineModel();
  const db = await createDb({ url: `file:${join(dataDir, 'retrace.db')}` });
  await migrate(db);
  const runner = createRunner({
    dataDir,
    models: runnerModels({}, model),
    environment: process.env,
    codexBinary,
  });
  const api = createApi({ db, runner: createLocalRunnerClient(runner), dataDir, maxConcurrency: 1 });
  return {
    api,
    db,
    async close() {
      await api.stop();
      await runner.close();
      await model.close();
      closeDb(db);
    },
  };
}
