import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRetraceClient, type RetraceClient } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRunnerProcess } from '../test/runner-process';
import { finishedRun, followRun } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

// The real server, with its runner as a separate process (its own data dir, over HTTP):
// workspaces are the runner's, so only the runner can delete them.
let server: ServerProcess;
let runner: Awaited<ReturnType<typeof startRunnerProcess>>;
let runnerData: string;
let client: RetraceClient;

beforeAll(async () => {
  const secret = 'runner-secret-for-removal';
  runnerData = mkdtempSync(join(tmpdir(), 'retrace-removal-runner-'));
  runner = await startRunnerProcess({ port: await freePort(), secret, dataDir: runnerData });
  server = await startServer({ env: { RETRACE_RUNNER_URL: runner.url, RETRACE_RUNNER_SECRET: secret } });
  client = createRetraceClient({ url: server.url });
});
afterAll(async () => {
  await server?.stop();
  await runner?.stop();
  if (server) removeDataDir(server.dataDir);
  rmSync(runnerData, { recursive: true, force: true });
});

const workspace = (projectId: string, runId: string) => join(runnerData, 'workspaces', projectId, runId);
const artifacts = (runId: string) => join(server.dataDir, 'artifacts', runId);

// As the other state-changing REST routes take it: JSON said, no body needed.
const DELETE = { method: 'DELETE', headers: { 'content-type': 'application/json' } };

/** Follows the run until its command is running (announced as its activity). */
const commandRunning = (id: string) => followRun(client, id, { until: (event) => event.type === 'activity' });

describe('a run canceled mid-command, then deleted', () => {
  it('shows its usage while running, ends with the cut-off command canceled, and leaves nothing once deleted', async () => {
    const { id: projectId } = await client.projects.create.mutate({ name: 'cancel-then-delete' });
    const run = await client.runs.create.mutate({ projectId, prompt: 'run: sleep 30' });
    await commandRunning(run.id);
    const running = await client.runs.get.query({ id: run.id });
    expect(running.status).toBe('running');
    expect(running.startedAt).toEqual(expect.any(Number));
    expect(running.usage?.inputTokens).toBeGreaterThan(0);

    await expect(client.runs.delete.mutate({ id: run.id })).rejects.toMatchObject({
      data: { code: 'CONFLICT' },
      message: `run #${run.number} is running; cancel it first`,
    });
    await client.runs.cancel.mutate({ id: run.id });
    expect((await finishedRun(client, run.id)).status).toBe('canceled');
    const steps = (await client.runs.steps.query({ id: run.id })).items;
    expect(steps.at(-1)).toMatchObject({ kind: 'command', instruction: 'sleep 30', status: 'canceled' });

    expect(existsSync(workspace(projectId, run.id))).toBe(true);
    expect(existsSync(join(artifacts(run.id), 'run.log'))).toBe(true);
    expect(await client.runs.delete.mutate({ id: run.id })).toEqual({ id: run.id });
    expect(existsSync(workspace(projectId, run.id))).toBe(false);
    expect(existsSync(artifacts(run.id))).toBe(false);
    await expect(client.runs.get.query({ id: run.id })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
  });
});

describe('REST', () => {
  it('DELETE /api/runs/:id and /api/projects/:id delete, and refuse an active run with 409', async () => {
    const { id: projectId } = await client.projects.create.mutate({ name: 'rest-delete' });
    const done = await client.runs.create.mutate({ projectId, prompt: 'run: echo done' });
    await finishedRun(client, done.id);
    const busy = await client.runs.create.mutate({ projectId, prompt: 'run: sleep 30.5' });
    await commandRunning(busy.id);

    const refused = await server.request(`/api/runs/${busy.id}`, DELETE);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      error: { code: 'CONFLICT', message: `run #${busy.number} is running; cancel it first`, issues: [] },
    });
    const project = await server.request(`/api/projects/${projectId}`, DELETE);
    expect(project.status).toBe(409);
    expect(((await project.json()) as { error: { message: string } }).error.message).toMatch(
      /^project "rest-delete" has 1 active run/,
    );

    // As a person types it: no body, so no Content-Type either.
    const curl = await promisify(execFile)('curl', [
      '-s',
      '-w',
      '\n%{http_code}',
      '-X',
      'DELETE',
      '-H',
      `authorization: Bearer ${server.token}`,
      `${server.url}/api/runs/${done.id}`,
    ]);
    expect(curl.stdout).toBe(`${JSON.stringify({ id: done.id })}\n200`);
    expect(existsSync(workspace(projectId, done.id))).toBe(false);

    await client.runs.cancel.mutate({ id: busy.id });
    await finishedRun(client, busy.id);
    const gone = await server.request(`/api/projects/${projectId}`, DELETE);
    expect([gone.status, await gone.json()]).toEqual([200, { id: projectId }]);
    expect(existsSync(join(runnerData, 'workspaces', projectId))).toBe(false);
    expect(existsSync(artifacts(busy.id))).toBe(false);
  });

  it('GET /api/projects/:id/runs?q= searches the prompts', async () => {
    const { id: projectId } = await client.projects.create.mutate({ name: 'rest-search' });
    const wanted = await client.runs.create.mutate({ projectId, prompt: 'run: echo searchable-word' });
    const other = await client.runs.create.mutate({ projectId, prompt: 'run: echo another' });
    await finishedRun(client, other.id);
    const res = await server.request(
      `/api/projects/${projectId}/runs?q=${encodeURIComponent('searchable "')}`,
    );
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: Array<{ id: string }> };
    expect(page.items.map((r) => r.id)).toEqual([wanted.id]);
  });
});
