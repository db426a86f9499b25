import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEvents } from '@retrace/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../test/api-harness';

// Real runs (the real runner and Codex on the offline model) into a real libSQL file.
let t: Awaited<ReturnType<typeof createTestApi>>;
let projectId: string;
beforeAll(async () => {
  t = await createTestApi();
  projectId = (await t.api.caller.projects.create({ name: 'progress' })).id;
});
afterAll(() => t.close());

/** Resolves once the run's log holds an event of this type (stored, so announced too). */
async function storedEvent(runId: string, type: 'activity' | 'usage') {
  for (let i = 0; i < 600; i++) {
    const [row] = await t.db
      .select()
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), eq(runEvents.type, type)));
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${type} event for run ${runId}`);
}

const runLog = (runId: string) => readFileSync(join(t.dataDir, 'artifacts', runId, 'run.log'), 'utf8');

describe('a running run', () => {
  it('has its start time and the tokens spent so far, stored as they accrue', async () => {
    const run = await t.api.caller.runs.create({ projectId, prompt: 'run: sleep 30.625' });
    // The command is running: the agent's first turn is behind it, Codex's turn is not over.
    await storedEvent(run.id, 'activity');
    const now = await t.api.caller.runs.get({ id: run.id });
    expect(now.status).toBe('running');
    expect(now.startedAt).toEqual(expect.any(Number));
    expect(now.usage?.inputTokens).toBeGreaterThan(0);
    const usage = await storedEvent(run.id, 'usage');
    expect(usage.data).toEqual({ usage: now.usage });
    await t.api.caller.runs.cancel({ id: run.id });
    const ended = await t.ended(run.id);
    expect(ended.usage?.inputTokens).toBeGreaterThanOrEqual(
      now.usage?.inputTokens ?? Number.POSITIVE_INFINITY,
    );
  });
});

describe('a canceled run', () => {
  it('ends its steps with the command it cut off, canceled, and its log says so', async () => {
    const run = await t.api.caller.runs.create({ projectId, prompt: 'run: sleep 30' });
    await storedEvent(run.id, 'activity');
    await t.api.caller.runs.cancel({ id: run.id });
    const ended = await t.ended(run.id);
    expect(ended.status).toBe('canceled');
    const { items } = await t.api.caller.runs.steps({ id: run.id, limit: 100 });
    expect(items.at(-1)).toMatchObject({
      kind: 'command',
      instruction: 'sleep 30',
      outcomeOk: false,
      status: 'canceled',
    });
    expect(items.slice(0, -1).every((step) => step.status === 'ok')).toBe(true);
    const log = runLog(run.id);
    expect(log).toMatch(/info \[step\] started: sleep 30\n/);
    expect(log).toMatch(
      new RegExp(`warn \\[step\\] #${items.length} command canceled \\(\\d+\\.\\d s\\): sleep 30\\n`),
    );
    expect(log.trimEnd().split('\n').at(-1)).toMatch(/ error \[run\] canceled: canceled by user$/);
  });
});

describe('phases', () => {
  it('announces each phase of a run once, in order', async () => {
    const { id } = await t.api.caller.projects.create({ name: 'phases', verifyCommand: 'true' });
    const run = await t.api.caller.runs.create({ projectId: id, prompt: 'run: echo hello' });
    await t.ended(run.id);
    const phases = (await t.api.services.events.readRun(run.id, 0)).flatMap((event) =>
      event.type === 'status' && event.phase ? [event.phase] : [],
    );
    expect(phases).toEqual(['preparing', 'running', 'verifying']);
  });
});

describe('run.log', () => {
  it('holds what the run did, in order: status changes, steps, the verify output, how it ended', async () => {
    const { id } = await t.api.caller.projects.create({
      name: 'run-log',
      verifyCommand: 'echo checking the build; test -f built.txt',
    });
    const run = await t.api.caller.runs.create({ projectId: id, prompt: 'run: echo hello' });
    const ended = await t.ended(run.id);
    expect(ended.status).toBe('failed');
    const log = runLog(run.id);
    const lines = log.trimEnd().split('\n');
    const entry = /^\d{4}-\d\d-\d\dT[\d:.]+Z (info|warn|error) \[\w+\] /;
    expect(
      lines.every((line) => entry.test(line) || line.startsWith('    ')),
      log,
    ).toBe(true);
    const milestones = [
      /^info \[run\] preparing the workspace \//,
      /^info \[run\] running the agent$/,
      /^info \[step\] #1 tool_call ok/,
      /^info \[step\] #\d+ command ok \(\d+\.\d s\): echo hello$/,
      /^info \[run\] running the verify command$/,
      /^warn \[step\] #\d+ command failed \(\d+\.\d s\): echo checking the build; test -f built.txt$/,
      /^ {4}checking the build$/,
      /^error \[run\] failed: verify command `echo checking the build; test -f built.txt` failed/,
    ];
    // Each once, in this order; the end last (what follows it is its own message, indented).
    const seen = lines.flatMap((line) => {
      const message = line.startsWith('    ') ? line : line.replace(/^\S+ /, '');
      const index = milestones.findIndex((pattern) => pattern.test(message));
      return index >= 0 ? [index] : [];
    });
    expect(seen, log).toEqual(milestones.map((_, i) => i));
    const end = lines.findIndex((line) => / error \[run\] failed: /.test(line));
    expect(
      lines.slice(end + 1).every((line) => line.startsWith('    ')),
      log,
    ).toBe(true);
    // Listed with the size it has on disk.
    const { items } = await t.api.caller.runs.artifacts({ id: run.id });
    const artifact = items.find((a) => a.name === 'run.log');
    expect(artifact?.size).toBe(Buffer.byteLength(runLog(run.id)));
  });
});
