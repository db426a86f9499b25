import { patternCache, runs, steps } from '@retrace/db';
import { AGENT_MODEL, CODEX_MODEL, type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import { createLocalRunnerClient, createRunner } from '@retrace/runner';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../api';
import { createTempDb, insertRun } from '../test/temp-db';

// Runs and steps written straight to a real libSQL file; the real runner is there but never asked.
let temp: Awaited<ReturnType<typeof createTempDb>>;
let model: OfflineModel;
let api: ReturnType<typeof createApi>;
let runner: ReturnType<typeof createRunner>;
beforeAll(async () => {
  temp = await createTempDb();
  model = await startOfflineModel();
  runner = createRunner({
    dataDir: temp.dir,
    models: {
      mode: 'offline',
      agent: { baseURL: model.baseURL, model: AGENT_MODEL },
      codex: { baseURL: model.baseURL, model: CODEX_MODEL },
    },
    environment: {},
  });
  api = createApi({
    db: temp.db,
    runner: createLocalRunnerClient(runner),
    dataDir: temp.dir,
    maxConcurrency: 1,
  });
  for (let n = 1; n <= 25; n++) {
    await insertRun(temp.db, `run_${n}`, 'p1', n);
    await temp.db
      .update(runs)
      .set({ status: n % 5 === 0 ? 'failed' : 'succeeded' })
      .where(eq(runs.id, `run_${n}`));
  }
  await temp.db.insert(steps).values(
    Array.from({ length: 30 }, (_, i) => ({
      runId: 'run_1',
      seq: i + 1,
      kind: 'command' as const,
      instruction: `echo ${i + 1}`,
      outcomeOk: true,
      startedAt: i,
      finishedAt: i,
    })),
  );
});
afterAll(async () => {
  await api.stop();
  await model.close();
  temp.cleanup();
});

describe('runs.list', () => {
  it('pages newest first with a cursor until there is no next page', async () => {
    const pages: number[][] = [];
    let cursor: number | null = null;
    do {
      const page = await api.caller.runs.list({ projectId: 'p1', limit: 10, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((r) => r.number));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual([
      [25, 24, 23, 22, 21, 20, 19, 18, 17, 16],
      [15, 14, 13, 12, 11, 10, 9, 8, 7, 6],
      [5, 4, 3, 2, 1],
    ]);
  });

  it('filters by status', async () => {
    const failed = await api.caller.runs.list({ projectId: 'p1', status: 'failed', limit: 50 });
    expect(failed.items.map((r) => r.number)).toEqual([25, 20, 15, 10, 5]);
    expect(failed.nextCursor).toBeNull();
  });
});

describe('runs.steps', () => {
  it('pages in seq order after afterSeq', async () => {
    const first = await api.caller.runs.steps({ id: 'run_1', limit: 12 });
    expect([first.items[0]?.seq, first.items.at(-1)?.seq, first.nextCursor]).toEqual([1, 12, 12]);
    const second = await api.caller.runs.steps({ id: 'run_1', afterSeq: 12, limit: 12 });
    expect([second.items[0]?.seq, second.items.at(-1)?.seq, second.nextCursor]).toEqual([13, 24, 24]);
    const last = await api.caller.runs.steps({ id: 'run_1', afterSeq: 24, limit: 12 });
    expect(last.items.map((s) => s.instruction)).toEqual([
      'echo 25',
      'echo 26',
      'echo 27',
      'echo 28',
      'echo 29',
      'echo 30',
    ]);
    expect(last.nextCursor).toBeNull();
  });

  it('pages backward from the end with beforeSeq, in seq order, to the first step', async () => {
    const tail = await api.caller.runs.steps({ id: 'run_1', beforeSeq: 'end', limit: 12 });
    expect([tail.items[0]?.seq, tail.items.at(-1)?.seq, tail.nextCursor, tail.total]).toEqual([
      19, 30, 19, 30,
    ]);
    const older = await api.caller.runs.steps({ id: 'run_1', beforeSeq: 19, limit: 12 });
    expect([older.items[0]?.seq, older.items.at(-1)?.seq, older.nextCursor]).toEqual([7, 18, 7]);
    const first = await api.caller.runs.steps({ id: 'run_1', beforeSeq: 7, limit: 12 });
    expect(first.items.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(first.nextCursor).toBeNull();
    // Both bounds: the steps between them, still from the end of the range.
    const between = await api.caller.runs.steps({ id: 'run_1', afterSeq: 20, beforeSeq: 26, limit: 12 });
    expect(between.items.map((s) => s.seq)).toEqual([21, 22, 23, 24, 25]);
    await expect(api.caller.runs.steps({ id: 'run_1', beforeSeq: 0, limit: 12 })).rejects.toThrow();
  });
});

describe('patterns.preview', () => {
  it('extracts once, then serves the same pattern from the cache', async () => {
    const fresh = await api.caller.patterns.preview({ runIds: ['run_1'] });
    const again = await api.caller.patterns.preview({ runIds: ['run_1'] });
    expect([fresh.cached, again.cached]).toEqual([false, true]);
    expect(again.block).toBe(fresh.block);
    expect(fresh.steps.map((s) => s.sourceRunId)).toEqual(Array(12).fill('run_1'));
  });

  it('keeps a pattern’s id and record when its block is extracted again (a new extractor version)', async () => {
    const taught = await api.caller.patterns.preview({ runIds: ['run_2'] });
    // Runs 3 and 4 were given it: one succeeded, one failed.
    for (const [id, status] of [
      ['run_3', 'succeeded'],
      ['run_4', 'failed'],
    ] as const)
      await temp.db.update(runs).set({ status, patternId: taught.patternId }).where(eq(runs.id, id));
    const before = await api.caller.patterns.get({ id: taught.patternId });
    expect(before.record).toMatchObject({ injected: 2, succeeded: 1, failed: 1 });

    // A new extractor version misses every cached block, as an emptied cache does.
    await temp.db.delete(patternCache);
    const again = await api.caller.patterns.preview({ runIds: ['run_2'] });
    expect([again.cached, again.patternId]).toEqual([false, taught.patternId]);
    expect((await api.caller.patterns.get({ id: taught.patternId })).record).toEqual(before.record);
  });
});

describe('runs.create', () => {
  it('refuses past the project’s queue limit, naming it, and takes runs again once there is room', async () => {
    const limited = createApi({
      db: temp.db,
      runner: createLocalRunnerClient(runner),
      dataDir: temp.dir,
      maxConcurrency: 1,
      maxQueuedRuns: 2,
    });
    // Two runs already waiting (queued rows no queue of this process will start).
    await insertRun(temp.db, 'queued_1', 'p-queue', 1);
    await insertRun(temp.db, 'queued_2', 'p-queue', 2);
    const attempt = limited.caller.runs.create({ projectId: 'p-queue', prompt: 'run: echo three' });
    await expect(attempt).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/already has 2 queued runs, the most one project may queue \(2\)/),
    });
    expect((await limited.caller.runs.list({ projectId: 'p-queue', limit: 10 })).items).toHaveLength(2);
    await limited.caller.runs.cancel({ id: 'queued_2' });
    const created = await limited.caller.runs.create({ projectId: 'p-queue', prompt: 'run: echo three' });
    await limited.caller.runs.cancel({ id: created.id });
    await limited.stop();
  });
});
