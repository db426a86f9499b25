import { AGENT_MODEL, CODEX_MODEL, codexModelCatalog, startOfflineModel } from '@retrace/offline-model';
import { createLocalRunnerClient, createRunner } from '@retrace/runner';
import { createApi } from '../api';
import type { Run } from '../dto';
import { createTempDb } from './temp-db';

/** The API over a real libSQL file and a real runner (the real Codex CLI) on the offline model. */
export async function createTestApi({ maxConcurrency = 2 } = {}) {
  const temp = await createTempDb();
  const model = await startOfflineModel();
  const runner = createRunner({
    dataDir: temp.dir,
    models: {
      mode: 'offline',
      agent: { baseURL: model.baseURL, model: AGENT_MODEL },
      codex: { baseURL: model.baseURL, model: CODEX_MODEL, catalog: codexModelCatalog() },
    },
    environment: process.env,
  });
  const api = createApi({
    db: temp.db,
    runner: createLocalRunnerClient(runner),
    dataDir: temp.dir,
    maxConcurrency,
  });
  await api.start();

  /** The run once `ready` says so of it (polled), or an error naming how it was when time ran out. */
  async function waitForRun(id: string, ready: (run: Run) => boolean, ms = 30_000): Promise<Run> {
    const deadline = Date.now() + ms;
    for (;;) {
      const run = await api.caller.runs.get({ id });
      if (ready(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} is still ${run.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const ended = (id: string) => waitForRun(id, (run) => run.status !== 'queued' && run.status !== 'running');

  return {
    api,
    db: temp.db,
    dataDir: temp.dir,
    waitForRun,
    ended,
    async close() {
      await api.stop();
      await runner.close();
      await model.close();
      temp.cleanup();
    },
  };
}
