import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

async function json(path: string, init?: RequestInit) {
  const res = await server.request(path, {
    ...init,
    headers: { 'content-type': 'application/json', ...init?.headers },
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
  };
}

/** Reads a Server-Sent Events stream to its end. */
async function readSse(path: string): Promise<Array<{ id?: string; event?: string; data: string }>> {
  const res = await server.request(path, { headers: { accept: 'text/event-stream' } });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
      return { id: fields.id, event: fields.event, data: fields.data ?? '' };
    });
}

describe("the seed's REST routes", () => {
  it('create a project and a run, stream it, read it, its steps, diff and artifacts', async () => {
    const project = await json('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'rest' }) });
    expect(project.status).toBe(201);
    const projectId = project.body.id as string;

    const created = await json(`/api/projects/${projectId}/runs`, {
      method: 'POST',
      body: JSON.stringify({ prompt: 'create hello.txt:\n```\nhi\n```\nrun: cat hello.txt' }),
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('queued');
    const runId = created.body.id as string;

    const events = await readSse(`/api/runs/${runId}/stream`);
    const types = events.map((e) => e.event);
    expect(types[0]).toBe('created');
    expect(types).toContain('step');
    expect(types.at(-1)).toBe('end');
    const eventIds = events.filter((e) => e.id).map((e) => Number(e.id));
    expect(eventIds).toEqual([...eventIds].sort((a, b) => a - b));
    const resumed = await readSse(`/api/runs/${runId}/stream?lastEventId=${eventIds[2]}`);
    expect(resumed.filter((e) => e.id).map((e) => Number(e.id))).toEqual(eventIds.slice(3));

    const run = await json(`/api/runs/${runId}`);
    expect(run.body.status).toBe('succeeded');
    const steps = await json(`/api/runs/${runId}/steps`);
    expect((steps.body.items as Array<{ instruction: string }>).map((s) => s.instruction)).toContain(
      'cat hello.txt',
    );
    const diff = await json(`/api/runs/${runId}/diff`);
    expect(diff.body.files).toEqual([
      expect.objectContaining({ path: 'hello.txt', status: 'added', additions: 1 }),
    ]);
    const patch = await server.request(`/api/runs/${runId}/diff?format=patch`);
    expect(await patch.text()).toContain('+hi');

    const artifacts = await json(`/api/runs/${runId}/artifacts`);
    const jsonl = (artifacts.body.items as Array<{ name: string; url: string; size: number }>).find(
      (a) => a.name === 'codex.jsonl',
    );
    expect(jsonl?.size).toBeGreaterThan(0);
    const download = await server.request(`${jsonl?.url}`);
    expect(download.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await download.text()).trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toContain('turn.completed');
  });

  it('answer bad requests with a JSON error naming the field, and unknown ids with 404', async () => {
    const project = await json('/api/projects', {
      method: 'POST',
      body: JSON.stringify({ name: 'rest-bad' }),
    });
    const empty = await json(`/api/projects/${project.body.id}/runs`, {
      method: 'POST',
      body: JSON.stringify({ prompt: '' }),
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.message).toBe('prompt: must not be empty');
    const notJson = await json(`/api/projects/${project.body.id}/runs`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect((await json('/api/runs/run_missing')).status).toBe(404);
    expect((await json('/api/runs/run_missing/artifacts/codex.jsonl')).status).toBe(404);
    expect((await json('/api/nothing-here')).status).toBe(404);
  });

  it('refuse path traversal on artifact downloads, raw and encoded', async () => {
    for (const path of [
      '/api/runs/..%2F..%2Fetc/artifacts/passwd',
      '/api/runs/x/artifacts/..%2F..%2F..%2Fetc%2Fpasswd',
      '/api/runs/x/artifacts/%2e%2e%2fretrace.db',
    ]) {
      const res = await server.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('root:');
    }
  });
});
