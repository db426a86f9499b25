import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer';
import { closeDb, createDb, migrate, projects } from './index';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-checkpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

describe('checkpoints', () => {
  it('are not run by the writer: a thread of its own copies the WAL into the database file', async () => {
    const path = join(dir, 'retrace.db');
    const db = await createDb({ url: `file:${path}` });
    await migrate(db);
    const autocheckpoint = await db.$client.execute('PRAGMA wal_autocheckpoint');
    expect(Number(autocheckpoint.rows[0]?.[0])).toBe(0);
    const before = statSync(path).size;
    // 8 MB in one transaction: 2,000 pages in the WAL, past SQLite's automatic threshold.
    const text = 'x'.repeat(80_000);
    await db.$client.batch(
      Array.from({ length: 100 }, (_, i) => ({
        sql: 'INSERT INTO projects (id, name, base_prompt, created_at, updated_at) VALUES (?, ?, ?, 0, 0)',
        args: [`p${i}`, `p${i}`, text],
      })),
      'write',
    );
    expect(await until(() => statSync(path).size >= before + 8_000_000)).toBe(true);
    expect(await db.select().from(projects)).toHaveLength(100);
    closeDb(db);
  });

  it('end when asked, without counting as a failure', async () => {
    const path = join(dir, 'retrace.db');
    closeDb(await createDb({ url: `file:${path}` }));
    const failures: Error[] = [];
    const checkpointer = startCheckpointer(path, (error) => failures.push(error));
    checkpointer.landed();
    checkpointer.stop();
    await checkpointer.ended;
    expect(failures).toEqual([]);
  });

  it('let an exiting process end cleanly, even in the middle of a checkpoint', async () => {
    const child = fileURLToPath(new URL('./test/exit-after-write.ts', import.meta.url));
    // Cut short inside libsql, the thread aborted the process (SIGABRT) at 2 to 20 ms.
    for (const delay of [2, 5, 10, 20]) {
      const exited = spawnSync(process.execPath, ['--import', 'tsx', child, dir, String(delay)], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
      });
      expect({ delay, status: exited.status, signal: exited.signal, stderr: exited.stderr }).toEqual({
        delay,
        status: 0,
        signal: null,
        stderr: '',
      });
    }
    const db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
    // Every write of every process is there.
    expect(await db.select({ id: projects.id }).from(projects)).toHaveLength(400);
    closeDb(db);
  });

  it('report a thread that could not start, so the writer checkpoints again', async () => {
    const failures: Error[] = [];
    const checkpointer = startCheckpointer(join(dir, 'missing', 'retrace.db'), (error) =>
      failures.push(error),
    );
    await checkpointer.ended;
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).toMatch(/unable to open|No such file|cannot open/i);
  });
});
