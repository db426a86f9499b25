import { projects, runs } from '@retrace/db';
import { createLocalRunnerClient, createRunner } from '@retrace/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../api';
import { createTempDb } from '../test/temp-db';

// Runs written straight to a real libSQL file (the prompt index fills through its triggers);
// the runner is there but never asked.
let temp: Awaited<ReturnType<typeof createTempDb>>;
let api: ReturnType<typeof createApi>;
beforeAll(async () => {
  temp = await createTempDb();
  const runner = createRunner({
    dataDir: temp.dir,
    models: { mode: 'offline', agent: { model: 'none' }, codex: { model: 'none' } },
    environment: {},
  });
  api = createApi({
    db: temp.db,
    runner: createLocalRunnerClient(runner),
    dataDir: temp.dir,
    maxConcurrency: 1,
  });
  await api.stop();
  await temp.db.insert(projects).values([
    { id: 'p1', name: 'search' },
    { id: 'p2', name: 'elsewhere' },
  ]);
  // Every third run fixes the login page; every other one of those failed.
  for (let n = 1; n <= 45; n++) {
    const login = n % 3 === 0;
    await temp.db.insert(runs).values({
      id: `run_${n}`,
      projectId: 'p1',
      number: n,
      prompt: login ? `run: fix the login page (attempt ${n})` : `create notes/n${n}.txt: tests ${n}`,
      status: login && n % 2 === 0 ? 'failed' : 'succeeded',
    });
  }
  await temp.db
    .insert(runs)
    .values({ id: 'run_other', projectId: 'p2', number: 1, prompt: 'fix the login page' });
});
afterAll(() => temp.cleanup());

const numbers = (page: { items: Array<{ number: number }> }) => page.items.map((r) => r.number);

async function allPages(input: { query: string; status?: 'failed' }, limit: number) {
  const pages: number[][] = [];
  let cursor: number | null = null;
  do {
    const page = await api.caller.runs.list({
      projectId: 'p1',
      limit,
      ...input,
      ...(cursor ? { cursor } : {}),
    });
    pages.push(numbers(page));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return pages;
}

describe('runs.list with a query', () => {
  it('finds the runs whose prompt holds every word, newest first, paging with the cursor', async () => {
    expect(await allPages({ query: 'login fix' }, 6)).toEqual([
      [45, 42, 39, 36, 33, 30],
      [27, 24, 21, 18, 15, 12],
      [9, 6, 3],
    ]);
  });

  it('takes the last word as a prefix, and words as their stem', async () => {
    expect(numbers(await api.caller.runs.list({ projectId: 'p1', query: 'logi', limit: 3 }))).toEqual([
      45, 42, 39,
    ]);
    expect(numbers(await api.caller.runs.list({ projectId: 'p1', query: 'test', limit: 2 }))).toEqual([
      44, 43,
    ]);
  });

  it('combines with the status filter, pages included', async () => {
    expect(await allPages({ query: 'login', status: 'failed' }, 4)).toEqual([
      [42, 36, 30, 24],
      [18, 12, 6],
    ]);
  });

  it.each(['login"', '"login', 'login*', '^login', '(login', '-login', 'login)'])(
    'reads %j as the word login, never as FTS syntax',
    async (query) => {
      const page = await api.caller.runs.list({ projectId: 'p1', query, limit: 100 });
      expect(page.items).toHaveLength(15);
    },
  );

  it.each([
    'login OR page',
    'NOT login',
    'prompt:login',
    'NEAR(login page)',
    'login AND',
    "login'; DROP TABLE runs; --",
  ])('reads the operators in %j as words a prompt must hold', async (query) => {
    const page = await api.caller.runs.list({ projectId: 'p1', query, limit: 100 });
    expect(page.items).toEqual([]);
  });

  it('gives an empty page for a search that matches nothing, or holds no word at all', async () => {
    for (const query of ['nothing-like-this', '"*"', '!!! ???']) {
      const page = await api.caller.runs.list({ projectId: 'p1', query, limit: 10 });
      expect([page.items, page.nextCursor]).toEqual([[], null]);
    }
  });

  it('stays within the project, and a blank query is no filter', async () => {
    const login = await api.caller.runs.list({ projectId: 'p2', query: 'login', limit: 10 });
    expect(login.items.map((r) => r.id)).toEqual(['run_other']);
    const all = await api.caller.runs.list({ projectId: 'p1', query: '   ', limit: 100 });
    expect(all.items).toHaveLength(45);
  });
});
