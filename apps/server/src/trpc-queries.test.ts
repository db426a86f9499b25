import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trpcServer } from '@hono/trpc-server';
import type { Api } from '@retrace/api';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessApi } from './test/in-process-api';
import { trpcQueries } from './trpc-queries';

let dir: string;
let api: Api;
let projectId: string;
/** tRPC's own handler alone, and the same handler behind the query path, for one API. */
const plain = new Hono();
const fast = new Hono();
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
