import { execFileSync } from 'node:child_process';
import { createRetraceClient } from '@retrace/client';
import { afterAll, describe, expect, it } from 'vitest';
import { finishedRun, followRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  if (servers[0]) removeDataDir(servers[0].dataDir);
});

describe('kill -9 in the middle of a run', () => {
  it('marks the run failed as interrupted on restart and keeps every step recorded before the kill', async () => {
    const first = await startServer();
    servers.push(first);
    let client = createRetraceClient({ url: first.url });
    const { id: projectId } = await client.projects.create.mutate({ name: 'crash' });
    const run = await client.runs.create.mutate({
      projectId,
      prompt: plan('run: echo one', 'run: echo two', 'run: sleep 30'),
    });
    const before = await followRun(client, run.id, {
      until: (e) => e.type === 'step' && e.step.instruction === 'echo two',
    });
    const stepsBefore = (await client.runs.steps.query({ id: run.id })).items;
    expect(stepsBefore.map((s) => s.instruction)).toEqual(expect.arrayContaining(['echo one', 'echo two']));

    await first.kill9();
    const second = await startServer({ dataDir: first.dataDir });
    servers.push(second);
    client = createRetraceClient({ url: second.url });

    const after = await finishedRun(client, run.id);
    expect(after.status).toBe('failed');
    expect(after.error).toBe('interrupted: server stopped');
    const stepsAfter = (await client.runs.steps.query({ id: run.id })).items;
    expect(stepsAfter.slice(0, stepsBefore.length)).toEqual(stepsBefore);
    const events = await followRun(client, run.id);
    expect(events.slice(0, before.length).map((e) => e.id)).toEqual(before.map((e) => e.id));

    // The restarted server works: a new run succeeds.
    const next = await client.runs.create.mutate({ projectId, prompt: 'run: echo alive' });
    const alive = await finishedRun(client, next.id);
    expect(alive.status, alive.error ?? '').toBe('succeeded');
  });
});

describe('a graceful stop (SIGTERM), then a restart', () => {
  it('records the running run as canceled with nothing left running, and runs the queued one after the restart', async () => {
    const first = await startServer({ env: { RETRACE_MAX_CONCURRENCY: '1' } });
    servers.push(first);
    let client = createRetraceClient({ url: first.url });
    const { id: projectId } = await client.projects.create.mutate({ name: 'graceful' });
    const running = await client.runs.create.mutate({
      projectId,
      prompt: plan('run: echo one', 'run: sleep 31.5'),
    });
    const queued = await client.runs.create.mutate({ projectId, prompt: 'run: echo waited' });
    await followRun(client, running.id, {
      until: (e) => e.type === 'step' && e.step.instruction === 'echo one',
    });
    expect((await client.runs.get.query({ id: queued.id })).status).toBe('queued');

    expect(await first.stop(), first.output()).toBe(0);
    const sleeping = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.startsWith('sleep 31.5'));
    expect(sleeping).toEqual([]);

    const second = await startServer({ dataDir: first.dataDir });
    servers.push(second);
    client = createRetraceClient({ url: second.url });
    const stopped = await client.runs.get.query({ id: running.id });
    expect([stopped.status, stopped.error]).toEqual(['canceled', 'canceled: server stopped']);
    expect((await client.runs.steps.query({ id: running.id })).items.map((s) => s.instruction)).toContain(
      'echo one',
    );
    expect(second.output()).toMatch(/1 queued run\(s\) were queued again/);
    const after = await finishedRun(client, queued.id);
    expect([after.status, after.summary]).toEqual(['succeeded', 'Done: ran `echo waited`.']);
  });
});
