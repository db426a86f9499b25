import type { RunEvent } from '@retrace/api';
import { createRetraceClient, type RetraceClient } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

let server: ServerProcess;
let client: RetraceClient;
let projectId: string;

beforeAll(async () => {
  server = await startServer();
  client = createRetraceClient({ url: server.url });
  projectId = (await client.projects.create.mutate({ name: 'subscriptions' })).id;
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const ids = (events: RunEvent[]) => events.map((e) => e.id);

/** A project's events from the moment the subscription is up (when `act` runs) to a run succeeding. */
function followProjectUntilSuccess(
  input: { id: string; lastEventId?: string },
  act: () => Promise<unknown>,
): Promise<RunEvent[]> {
  const seen: RunEvent[] = [];
  return new Promise((resolve, reject) => {
    const sub = client.subscriptions.project.subscribe(input, {
      onStarted: () => void act().catch(reject),
      onData: ({ data }) => {
        const event: RunEvent = data;
        seen.push(event);
        if (event.type === 'status' && event.status === 'succeeded') {
          sub.unsubscribe();
          resolve(seen);
        }
      },
      onError: reject,
    });
  });
}
const echoPlan = (n: number) => plan(...Array.from({ length: n }, (_, i) => `run: echo line-${i}`));

describe('live subscriptions', () => {
  it('deliver every event exactly once, in order, to 50 concurrent subscribers', async () => {
    const run = await client.runs.create.mutate({ projectId, prompt: echoPlan(8) });
    const all = await Promise.all(Array.from({ length: 50 }, () => followRun(client, run.id)));
    const reference = ids(all[0] ?? []);
    expect(new Set(reference).size).toBe(reference.length);
    expect(reference).toEqual([...reference].sort((a, b) => a - b));
    for (const events of all) expect(ids(events)).toEqual(reference);

    const types = (all[0] ?? []).map((e) => e.type);
    expect(types[0]).toBe('created');
    expect(types.at(-1)).toBe('status');
    const steps = (all[0] ?? []).flatMap((e) => (e.type === 'step' ? [e.step.instruction] : []));
    for (let i = 0; i < 8; i++) expect(steps).toContain(`echo line-${i}`);
  });

  it('resume after lastEventId with exactly the missed events', async () => {
    const run = await client.runs.create.mutate({ projectId, prompt: echoPlan(4) });
    const firstPart = await followRun(client, run.id, { until: (e) => e.type === 'step' });
    const everything = await followRun(client, run.id);
    const rest = await followRun(client, run.id, { lastEventId: String(firstPart.at(-1)?.id) });
    expect([...ids(firstPart), ...ids(rest)]).toEqual(ids(everything));
  });

  it('follow a project: run created and status changes, live', async () => {
    const project = await client.projects.create.mutate({ name: 'watched' });
    const seen = await followProjectUntilSuccess({ id: project.id }, () =>
      client.runs.create.mutate({ projectId: project.id, prompt: 'run: echo watched' }),
    );
    expect(seen.map((e) => (e.type === 'status' ? `status:${e.status}` : e.type))).toEqual(
      expect.arrayContaining(['created', 'status:running', 'status:succeeded']),
    );
    expect(seen.every((e) => e.type === 'created' || e.type === 'status')).toBe(true);
  });

  it('follow a project from a run list’s cursor: what changed since, not its history', async () => {
    const project = await client.projects.create.mutate({ name: 'listed' });
    const earlier = await client.runs.create.mutate({ projectId: project.id, prompt: 'run: echo before' });
    await followRun(client, earlier.id);
    const listed = await client.runs.list.query({ projectId: project.id });
    expect(listed.items.map((r) => r.id)).toEqual([earlier.id]);
    let later = '';
    const seen = await followProjectUntilSuccess(
      { id: project.id, lastEventId: listed.eventCursor },
      async () => {
        later = (await client.runs.create.mutate({ projectId: project.id, prompt: 'run: echo after' })).id;
      },
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((e) => e.runId))).toEqual(new Set([later]));
    expect(seen[0]?.type).toBe('created');
  });
});
