import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDb, createDb, type Database, migrate, projects, runs } from '@retrace/db';

/** A real libSQL file in a fresh temp folder, migrated by the same code the server uses. */
export async function createTempDb(): Promise<{ db: Database; dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'retrace-api-'));
  const db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
  await migrate(db);
  return {
    db,
    dir,
    cleanup: () => {
      closeDb(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function insertRun(db: Database, runId: string, projectId = 'p1', number = 1): Promise<void> {
  await db.insert(projects).values({ id: projectId, name: projectId }).onConflictDoNothing();
  await db.insert(runs).values({ id: runId, projectId, number, prompt: 'p' });
}
