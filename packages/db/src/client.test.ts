import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createDb, type Database, migrate, projects, runEvents, runs, steps } from './index';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function fileDb(): Promise<Database> {
  const db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
  await migrate(db);
  return db;
}

async function seedRun(db: Database) {
  await db.insert(projects).values({ id: 'p1', name: 'demo' });
  await db
    .insert(runs)
    .values({ id: 'r1', projectId: 'p1', number: 1, prompt: 'do it', systemInstructions: 'x' });
}

describe('createDb', () => {
  it('opens a file database in WAL mode with a busy timeout and foreign keys on', async () => {
    const db = await fileDb();
    const mode = await db.$client.execute('PRAGMA journal_mode');
    const busy = await db.$client.execute('PRAGMA busy_timeout');
    const fks = await db.$client.execute('PRAGMA foreign_keys');
    expect(mode.rows[0]?.[0]).toBe('wal');
    expect(Number(busy.rows[0]?.[0])).toBe(5000);
    expect(Number(fks.rows[0]?.[0])).toBe(1);
    closeDb(db);
  });

  it('keeps the database file and its WAL files 0600, a new one or one made before', async () => {
    const db = await fileDb();
    await seedRun(db);
    const mode = (file: string) => (statSync(join(dir, file)).mode & 0o777).toString(8);
    expect(existsSync(join(dir, 'retrace.db-wal'))).toBe(true);
    expect(['retrace.db', 'retrace.db-wal', 'retrace.db-shm'].map(mode)).toEqual(['600', '600', '600']);
    closeDb(db);
    const old = join(dir, 'old.db');
    writeFileSync(old, '');
    chmodSync(old, 0o644);
    closeDb(await createDb({ url: `file:${old}` }));
    expect(mode('old.db')).toBe('600');
  });

  it('works in memory', async () => {
    const db = await createDb({ url: ':memory:' });
    await migrate(db);
    await seedRun(db);
    expect(await db.select().from(runs)).toHaveLength(1);
    closeDb(db);
  });

  it('talks to a libSQL server over HTTP without sending file pragmas', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        bodies.push(`${req.method} ${req.url} ${body}`);
        res.writeHead(500).end('no');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const db = await createDb({ url: `http://127.0.0.1:${port}` });
      await expect(db.select().from(projects)).rejects.toThrow();
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies.join('\n')).toContain('select');
      expect(bodies.join('\n')).not.toContain('PRAGMA');
      closeDb(db);
    } finally {
      server.close();
    }
  });
});

describe('migrate', () => {
  it('is idempotent', async () => {
    const db = await fileDb();
    await migrate(db);
    const tables = await db.$client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    );
    expect(tables.rows.map((r) => r[0])).toEqual(
      expect.arrayContaining(['artifacts', 'pattern_cache', 'projects', 'run_events', 'runs', 'steps']),
    );
    closeDb(db);
  });
});

describe('schema', () => {
  it('fills timestamps and defaults', async () => {
    const db = await fileDb();
    const before = Date.now();
    await seedRun(db);
    const [project] = await db.select().from(projects);
    const [run] = await db.select().from(runs);
    expect(project?.basePrompt).toBe('You are a precise code agent.');
    expect(project?.createdAt).toBeGreaterThanOrEqual(before);
    expect(run?.status).toBe('queued');
    expect(run?.profile).toBe('batch');
    expect(run?.filesTouched).toEqual([]);
    closeDb(db);
  });

  it('deleting a project deletes its runs, steps and events', async () => {
    const db = await fileDb();
    await seedRun(db);
    await db
      .insert(steps)
      .values({ runId: 'r1', seq: 1, kind: 'command', instruction: 'ls', outcomeOk: true, startedAt: 1 });
    await db
      .insert(runEvents)
      .values({ runId: 'r1', projectId: 'p1', type: 'status', data: { status: 'running' } });
    await db.delete(projects).where(eq(projects.id, 'p1'));
    expect(await db.select().from(runs)).toHaveLength(0);
    expect(await db.select().from(steps)).toHaveLength(0);
    expect(await db.select().from(runEvents)).toHaveLength(0);
    closeDb(db);
  });

  it('deleting a reference run keeps the runs that learned from it', async () => {
    const db = await fileDb();
    await seedRun(db);
    await db.insert(runs).values({
      id: 'r2',
      projectId: 'p1',
      number: 2,
      prompt: 'again',
      systemInstructions: 'x',
      learnFromRunId: 'r1',
      fromRunId: 'r1',
    });
    await db.delete(runs).where(eq(runs.id, 'r1'));
    const [r2] = await db.select().from(runs);
    expect(r2?.id).toBe('r2');
    expect(r2?.learnFromRunId).toBeNull();
    expect(r2?.fromRunId).toBeNull();
    closeDb(db);
  });

  it('refuses a step for a run that does not exist and a duplicate seq', async () => {
    const db = await fileDb();
    await seedRun(db);
    const step = {
      runId: 'r1',
      seq: 1,
      kind: 'command' as const,
      instruction: 'ls',
      outcomeOk: true,
      startedAt: 1,
    };
    await expect(db.insert(steps).values({ ...step, runId: 'nope' })).rejects.toThrow();
    await db.insert(steps).values(step);
    await expect(db.insert(steps).values(step)).rejects.toThrow();
    closeDb(db);
  });

  it('gives run events strictly increasing ids, never reused after a delete', async () => {
    const db = await fileDb();
    await seedRun(db);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [row] = await db
        .insert(runEvents)
        .values({ runId: 'r1', projectId: 'p1', type: 'log', data: { i } })
        .returning({ id: runEvents.id });
      ids.push(row?.id ?? -1);
    }
    await db.delete(runEvents).where(eq(runEvents.id, ids[2] ?? -1));
    const [next] = await db
      .insert(runEvents)
      .values({ runId: 'r1', projectId: 'p1', type: 'log', data: {} })
      .returning({ id: runEvents.id });
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(next?.id).toBeGreaterThan(ids[2] ?? Number.POSITIVE_INFINITY);
    closeDb(db);
  });
});

describe('runs_prompt_fts', () => {
  it('indexes run prompts as they are inserted, updated and deleted', async () => {
    const db = await fileDb();
    await seedRun(db);
    const search = async (q: string) =>
      (
        await db.$client.execute({
          sql: 'SELECT runs.id FROM runs_prompt_fts JOIN runs ON runs.rowid = runs_prompt_fts.rowid WHERE runs_prompt_fts MATCH ? ORDER BY bm25(runs_prompt_fts)',
          args: [q],
        })
      ).rows.map((r) => r[0]);
    expect(await search('do')).toEqual(['r1']);
    await db.update(runs).set({ prompt: 'rename the greeting files' }).where(eq(runs.id, 'r1'));
    expect(await search('do')).toEqual([]);
    expect(await search('greeting')).toEqual(['r1']);
    expect(await search('file')).toEqual(['r1']); // porter stemming: files → file
    await db.delete(runs).where(eq(runs.id, 'r1'));
    expect(await search('greeting')).toEqual([]);
    closeDb(db);
  });
});
