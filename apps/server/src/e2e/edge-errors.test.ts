import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRetraceClient, type RetraceClient } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

let server: ServerProcess;
let client: RetraceClient;
let runId: string;
const bearer = () => ({ authorization: `Bearer ${server.token}` });

beforeAll(async () => {
  server = await startServer();
  client = createRetraceClient({ url: server.url });
  const { id: projectId } = await client.projects.create.mutate({ name: 'lost-files' });
  const run = await client.runs.create.mutate({
    projectId,
    prompt: plan('create notes/a.txt:', '```', 'hello', '```', 'run: cat notes/a.txt'),
  });
  const ended = await finishedRun(client, run.id);
  expect(ended.status, ended.error ?? '').toBe('succeeded');
  runId = run.id;
  // Someone cleans the artifact store by hand: the records stay, their files go.
  for (const name of ['codex.jsonl', 'diff.json']) rmSync(join(server.dataDir, 'artifacts', runId, name));
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

describe('an artifact whose file is gone', () => {
  it('downloads as a 404 with a JSON message, not an empty 200', async () => {
    const res = await fetch(`${server.url}/api/runs/${runId}/artifacts/codex.jsonl`, { headers: bearer() });
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(`${runId}/codex.jsonl`);
    expect(error.message).not.toContain(server.dataDir);
    // The files that are still there download as before.
    const patch = await fetch(`${server.url}/api/runs/${runId}/artifacts/diff.patch`, { headers: bearer() });
    expect(patch.status).toBe(200);
    expect(await patch.text()).toContain('+hello');
  });
});

describe('a 500', () => {
  it('says what failed, over REST and tRPC, without a path of the server or a stack', async () => {
    const rest = await fetch(`${server.url}/api/runs/${runId}/diff`, { headers: bearer() });
    expect(rest.status).toBe(500);
    const restText = await rest.text();
    expect(JSON.parse(restText)).toEqual({
      error: {
        code: 'INTERNAL_SERVER_ERROR',
        message: `GET /api/runs/${runId}/diff failed on the server (ENOENT); the server's log has the details`,
      },
    });

    const trpc = await client.runs.diff.query({ id: runId }).then(
      () => null,
      (error: Error & { data?: unknown }) => error,
    );
    expect(trpc?.message).toBe("runs.diff failed on the server (ENOENT); the server's log has the details");
    const raw = await fetch(
      `${server.url}/trpc/runs.diff?input=${encodeURIComponent(JSON.stringify({ id: runId }))}`,
      { headers: bearer() },
    );
    expect(raw.status).toBe(500);
    const trpcText = await raw.text();
    for (const text of [restText, trpcText, JSON.stringify(trpc?.data)]) {
      expect(text).not.toContain(server.dataDir);
      expect(text).not.toMatch(/\/tmp\/|\.ts:\d+|at [\w.]+ \(/);
    }
    // The server's log keeps the whole story.
    expect(server.output()).toContain(join(server.dataDir, 'artifacts', runId, 'diff.json'));
  });
});
