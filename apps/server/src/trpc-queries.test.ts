import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trpcServer } from '@hono/trpc-server';
import type { Api } from '@retrace/api';
import { closeDb, createDb, projects } from '@retrace/db';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerCache } from './answer-cache';
import { counted } from './test/counted';
import { createInProcessApi } from './test/in-process-api';
import { trpcQueries } from './trpc-queries';

let dir: string;
let api: Api;
let projectId: string;
/** tRPC's own handler alone, and the same handler behind the query path, for one API. */
const plain = new Hono();
const fast = new Hono();
/** The query path keeping the answers of database-only queries. */
const kept = new Hono();
const answered: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-queries-'));
  api = await createInProcessApi(dir);
  projectId = (await api.caller.projects.create({ name: 'queries' })).id;
  const options = {
    endpoint: '/trpc',
    router: api.router,
    createContext: () => ({ ...api.createContext() }),
  };
  plain.use('/trpc/*', trpcServer(options));
  fast.use(
    '/trpc/*',
    trpcQueries(options),
    async (c, next) => {
      answered.push(c.req.path);
      await next();
    },
    trpcServer(options),
  );
  const version = api.databaseVersion;
  if (!version) throw new Error('a database file can tell its changes');
  kept.use(
    '/trpc/*',
    trpcQueries({ ...options, answers: createAnswerCache({ version }) }),
    trpcServer(options),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const query = (path: string, input?: unknown) =>
  `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;

/** Both apps' answers to one request: status, the headers tRPC sets, and the body. */
async function both(url: string, init?: RequestInit) {
  const answer = async (app: Hono) => {
    const res = await app.request(`http://127.0.0.1${url}`, init);
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      vary: res.headers.get('vary'),
      body: await res.text(),
    };
  };
  return { plain: await answer(plain), fast: await answer(fast) };
}

describe('a tRPC query over GET, answered without tRPC’s fetch handler', () => {
  it('answers as tRPC does, and tRPC’s handler never sees it', async () => {
    answered.length = 0;
    const url = query('projects.get', { id: projectId });
    const { plain, fast } = await both(url);
    expect(fast).toEqual(plain);
    expect(JSON.parse(fast.body)).toMatchObject({ result: { data: { id: projectId, name: 'queries' } } });
    expect(answered).toEqual([]);
  });

  it('answers a query without input, and a list', async () => {
    for (const url of [query('projects.list'), query('runs.list', { projectId, limit: 5 })]) {
      const { plain, fast } = await both(url);
      expect(fast).toEqual(plain);
      expect(fast.status).toBe(200);
    }
    expect(answered).toEqual([]);
  });

  it('answers its errors as tRPC does: not found, a bad input, with the field named', async () => {
    for (const [url, status] of [
      [query('runs.get', { id: 'missing' }), 404],
      [query('runs.get', {}), 400],
      [query('runs.list', { projectId, limit: -1 }), 400],
    ] as const) {
      const { plain, fast } = await both(url);
      expect(fast).toEqual(plain);
      expect(fast.status).toBe(status);
    }
    expect(answered).toEqual([]);
  });

  it('leaves everything else to tRPC: batches, streams, mutations, unknown paths, bad JSON', async () => {
    const cases: Array<[string, RequestInit?]> = [
      [
        `/trpc/projects.list,projects.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 1: { id: projectId } }))}`,
      ],
      [query('projects.list'), { headers: { 'trpc-accept': 'application/jsonl' } }],
      [query('projects.create', { name: 'over-get' })],
      [query('no.such.path')],
      ['/trpc/projects.get?input=%7Bnot-json'],
    ];
    for (const [url, init] of cases) {
      answered.length = 0;
      const { plain, fast } = await both(url, init);
      expect(fast.status).toBe(plain.status);
      expect(answered).toHaveLength(1);
    }
  });
});

const body = async (url: string) => (await kept.request(`http://127.0.0.1${url}`)).text();

describe('answers of database-only queries, kept while the database is unchanged', () => {
  it('answers again without asking the service, and as tRPC would, until a write', async () => {
    const url = query('projects.get', { id: projectId });
    const gets = counted(api.services.projects, 'get');
    const first = await body(url);
    expect(await body(url)).toBe(first);
    expect(first).toBe((await both(url)).plain.body);
    expect(gets.calls).toBe(3); // the kept app once; `both` asks the plain and the fast app
    await api.caller.projects.update({ id: projectId, name: 'queries-renamed' });
    expect(JSON.parse(await body(url))).toMatchObject({ result: { data: { name: 'queries-renamed' } } });
    await api.caller.projects.update({ id: projectId, name: 'queries' });
  });

  it('sees a write by another connection to the file, as another process would make it', async () => {
    const url = query('projects.get', { id: projectId });
    expect(JSON.parse(await body(url))).toMatchObject({ result: { data: { name: 'queries' } } });
    const other = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
    await other.update(projects).set({ name: 'from-elsewhere' }).where(eq(projects.id, projectId));
    closeDb(other);
    expect(JSON.parse(await body(url))).toMatchObject({ result: { data: { name: 'from-elsewhere' } } });
    await api.caller.projects.update({ id: projectId, name: 'queries' });
  });

  it('keeps no error, and nothing of a query that reads more than the database', async () => {
    const gets = counted(api.services.runs, 'get');
    const missing = query('runs.get', { id: 'missing' });
    await body(missing);
    await body(missing);
    expect(gets.calls).toBe(2);
    const lists = counted(api.services.experiments, 'list');
    const experiments = query('experiments.list', { projectId });
    expect(await body(experiments)).toBe(await body(experiments));
    expect(lists.calls).toBe(2);
  });
});
