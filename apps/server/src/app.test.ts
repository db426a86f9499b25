import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi } from '@retrace/api';
import { createDb, migrate } from '@retrace/db';
import { createLocalRunnerClient, createRunner } from '@retrace/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';

let dir: string;
let app: ReturnType<typeof createApp>;
const TOKEN = 'a-token-that-is-long-enough';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-app-'));
  const db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
  await migrate(db);
  // No run starts in these tests: the runner never reaches a model.
  const runner = createRunner({
    dataDir: dir,
    models: {
      mode: 'offline',
      agent: { model: 'none', baseURL: 'http://127.0.0.1:9/v1' },
      codex: { model: 'none', baseURL: 'http://127.0.0.1:9/v1' },
    },
  });
  const api = createApi({ db, runner: createLocalRunnerClient(runner), dataDir: dir, maxConcurrency: 1 });
  app = createApp({ api, token: TOKEN, webDist: join(dir, 'no-web-build') });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bearer token', () => {
  it('leaves /healthz open', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it.each([
    '/trpc/projects.list',
    '/api/projects',
    '/api/runs/x/stream',
    '/api/runs/x/artifacts/codex.jsonl',
    '/',
    '/ui/runs/x',
  ])('guards %s', async (path) => {
    expect((await app.request(path)).status).toBe(401);
    expect(
      (await app.request(path, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status,
    ).toBe(401);
    expect((await app.request(`${path}${path.includes('?') ? '&' : '?'}token=wrong`)).status).toBe(401);
  });

  it('accepts the header, the query parameter (setting a cookie) and the cookie', async () => {
    expect(
      (await app.request('/api/projects', { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
    const viaQuery = await app.request(`/api/projects?token=${TOKEN}`);
    expect(viaQuery.status).toBe(200);
    const cookie = viaQuery.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/retrace_token=.*HttpOnly.*SameSite=Strict/i);
    expect(
      (await app.request('/api/projects', { headers: { cookie: cookie.split(';')[0] ?? '' } })).status,
    ).toBe(200);
    expect(
      (await app.request('/trpc/projects.list', { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
  });
});

describe('the web app routes', () => {
  it('serves the app (or a page saying it is not built) for client-side routes', async () => {
    for (const path of ['/', '/projects/p1', '/runs/r1', '/ui/runs/r1', '/guide']) {
      const res = await app.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('Retrace');
    }
  });
});
