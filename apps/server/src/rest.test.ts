import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Api } from '@retrace/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerCache } from './answer-cache';
import { createRestRoutes } from './rest';
import { counted } from './test/counted';
import { createInProcessApi } from './test/in-process-api';

let dir: string;
let api: Api;
let projectId: string;
let rest: ReturnType<typeof createRestRoutes>;
let plain: ReturnType<typeof createRestRoutes>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-rest-'));
  api = await createInProcessApi(dir);
  projectId = (await api.caller.projects.create({ name: 'rest' })).id;
  const version = api.databaseVersion;
  if (!version) throw new Error('a database file can tell its changes');
  rest = createRestRoutes(api, createAnswerCache({ version }));
  plain = createRestRoutes(api);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const answer = async (app: typeof rest, path: string) => {
  const res = await app.request(`http://127.0.0.1${path}`);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
};

describe('REST reads of the database, kept while it is unchanged', () => {
  it('answers a second GET without the service, alike to the first, until a write', async () => {
    const gets = counted(api.services.projects, 'get');
    const first = await answer(rest, `/projects/${projectId}`);
    const second = await answer(rest, `/projects/${projectId}`);
    expect(second).toEqual(first);
    expect(first.status).toBe(200);
    expect(gets.calls).toBe(1);
    expect(await answer(plain, `/projects/${projectId}`)).toEqual(first);
    await api.caller.projects.update({ id: projectId, name: 'rest-renamed' });
    expect(JSON.parse((await answer(rest, `/projects/${projectId}`)).body)).toMatchObject({
      name: 'rest-renamed',
    });
    // Another query string is another answer.
    const lists = counted(api.services.runs, 'list');
    await answer(rest, `/projects/${projectId}/runs?limit=1`);
    await answer(rest, `/projects/${projectId}/runs?limit=2`);
    await answer(rest, `/projects/${projectId}/runs?limit=1`);
    expect(lists.calls).toBe(2);
  });

  it('keeps no error', async () => {
    const gets = counted(api.services.runs, 'get');
    expect((await answer(rest, '/runs/missing')).status).toBe(404);
    expect((await answer(rest, '/runs/missing')).status).toBe(404);
    expect(gets.calls).toBe(2);
  });
});
