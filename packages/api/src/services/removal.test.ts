import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, patternCache, runEvents, runs, steps } from '@retrace/db';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../test/api-harness';

// Real runs (the real runner and Codex on the offline model) into a real libSQL file.
let t: Awaited<ReturnType<typeof createTestApi>>;
beforeAll(async () => {
  t = await createTestApi({ maxConcurrency: 1 });
});
afterAll(() => t.close());

const workspace = (projectId: string, runId: string) => join(t.dataDir, 'workspaces', projectId, runId);
const artifactFolder = (runId: string) => join(t.dataDir, 'artifacts', runId);

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

async function rowsOf(runId: string) {
  const count = async (table: typeof steps | typeof runEvents | typeof artifacts) =>
    (await t.db.select().from(table).where(eq(table.runId, runId))).length;
  return { steps: await count(steps), events: await count(runEvents), artifacts: await count(artifacts) };
}

async function endedRun(
  projectId: string,
  prompt: string,
  extra: { fromRunId?: string; learnFromRunId?: string } = {},
) {
  const run = await t.api.caller.runs.create({ projectId, prompt, ...extra });
  const ended = await t.ended(run.id);
  expect(ended.status, ended.error ?? '').toBe('succeeded');
  return ended;
}

describe('runs.delete', () => {
  it('deletes the run’s rows, artifact files and workspace; runs that learned or continued from it stay', async () => {
    const { id: projectId } = await t.api.caller.projects.create({ name: 'delete-run' });
    const source = await endedRun(projectId, 'create notes/a.txt:\n```\nhello\n```');
    const learned = await endedRun(
      projectId,
      'Repeat the reference workflow, replacing notes/a.txt with notes/b.txt',
      {
        learnFromRunId: source.id,
      },
    );
    const continued = await endedRun(projectId, 'run: cat notes/a.txt', { fromRunId: source.id });
    const before = await rowsOf(source.id);
    expect(before.steps * before.events * before.artifacts).toBeGreaterThan(0);
    expect(existsSync(workspace(projectId, source.id))).toBe(true);
    expect(existsSync(artifactFolder(source.id))).toBe(true);
    const taught = await t.api.caller.patterns.list({ projectId });
    expect(taught.map((p) => p.sourceRunIds)).toContainEqual([source.id]);

    expect(await t.api.caller.runs.delete({ id: source.id })).toEqual({ id: source.id });

    // Its pattern is gone too (made of its steps): no page, no list entry, no cached block.
    expect((await t.api.caller.patterns.list({ projectId })).map((p) => p.sourceRunIds)).not.toContainEqual([
      source.id,
    ]);
    const pattern = taught.find((p) => p.sourceRunIds.includes(source.id));
    expect((await refusal(t.api.caller.patterns.get({ id: pattern?.id ?? '' }))).code).toBe('NOT_FOUND');
    expect(await t.db.select().from(patternCache)).not.toContainEqual(
      expect.objectContaining({ sourceRunIds: [source.id] }),
    );

    expect((await refusal(t.api.caller.runs.get({ id: source.id }))).code).toBe('NOT_FOUND');
    expect(await rowsOf(source.id)).toEqual({ steps: 0, events: 0, artifacts: 0 });
    expect(existsSync(workspace(projectId, source.id))).toBe(false);
    expect(existsSync(artifactFolder(source.id))).toBe(false);
    const [learnedNow, continuedNow] = await Promise.all(
      [learned, continued].map((run) => t.api.caller.runs.get({ id: run.id })),
    );
    expect([learnedNow?.learnFromRunId, learnedNow?.pattern?.sourceRunIds]).toEqual([null, [source.id]]);
    expect(learnedNow?.patternId).toBeNull();
    expect(continuedNow?.fromRunId).toBeNull();
    expect(existsSync(join(workspace(projectId, continued.id), 'notes/a.txt'))).toBe(true);
    expect((await t.api.caller.runs.steps({ id: continued.id, limit: 100 })).items.length).toBeGreaterThan(0);
    expect((await refusal(t.api.caller.runs.delete({ id: source.id }))).code).toBe('NOT_FOUND');
  });

  it('is refused while the run is queued or running, naming it, and deletes it once canceled', async () => {
    const { id: projectId } = await t.api.caller.projects.create({ name: 'delete-active' });
    const running = await t.api.caller.runs.create({ projectId, prompt: 'run: sleep 30.5' });
    const queued = await t.api.caller.runs.create({ projectId, prompt: 'run: echo later' });
    await t.waitForRun(running.id, (run) => run.status === 'running' && run.workspacePath !== null);

    const refused = await refusal(t.api.caller.runs.delete({ id: running.id }));
    expect([refused.code, refused.message]).toEqual([
      'CONFLICT',
      `run #${running.number} is running; cancel it first`,
    ]);
    const refusedQueued = await refusal(t.api.caller.runs.delete({ id: queued.id }));
    expect([refusedQueued.code, refusedQueued.message]).toEqual([
      'CONFLICT',
      `run #${queued.number} is queued; cancel it first`,
    ]);
    expect(existsSync(workspace(projectId, running.id))).toBe(true);

    await t.api.caller.runs.cancel({ id: queued.id });
    await t.api.caller.runs.cancel({ id: running.id });
    await t.ended(running.id);
    await t.api.caller.runs.delete({ id: running.id });
    await t.api.caller.runs.delete({ id: queued.id });
    expect(existsSync(workspace(projectId, running.id))).toBe(false);
    expect(existsSync(artifactFolder(queued.id))).toBe(false);
  });

  it('is refused while a run continuing from its workspace is active', async () => {
    const { id: projectId } = await t.api.caller.projects.create({ name: 'delete-source' });
    const source = await endedRun(projectId, 'run: echo base > base.txt');
    const next = await t.api.caller.runs.create({
      projectId,
      prompt: 'run: sleep 30.25',
      fromRunId: source.id,
    });
    const refused = await refusal(t.api.caller.runs.delete({ id: source.id }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(
      new RegExp(
        `^run #${next.number} \\((queued|running)\\) continues from run #${source.number}'s workspace`,
      ),
    );
    expect(existsSync(join(workspace(projectId, source.id), 'base.txt'))).toBe(true);
    await t.api.caller.runs.cancel({ id: next.id });
    await t.ended(next.id);
  });
});

describe('projects.delete', () => {
  it('is refused while a run is active, naming the project and the run, then deletes everything it had', async () => {
    const { id: projectId } = await t.api.caller.projects.create({ name: 'delete-project' });
    const done = await endedRun(projectId, 'run: echo kept > kept.txt');
    const busy = await t.api.caller.runs.create({ projectId, prompt: 'run: sleep 30.125' });
    const refused = await refusal(t.api.caller.projects.delete({ id: projectId }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(
      new RegExp(`^project "delete-project" has 1 active run \\(#${busy.number} \\((queued|running)\\)\\)`),
    );
    expect(existsSync(workspace(projectId, done.id))).toBe(true);

    await t.api.caller.runs.cancel({ id: busy.id });
    await t.ended(busy.id);
    expect(await t.api.caller.projects.delete({ id: projectId })).toEqual({ id: projectId });
    expect((await refusal(t.api.caller.projects.get({ id: projectId }))).code).toBe('NOT_FOUND');
    expect(await t.db.select().from(runs).where(eq(runs.projectId, projectId))).toEqual([]);
    expect(await rowsOf(done.id)).toEqual({ steps: 0, events: 0, artifacts: 0 });
    expect(existsSync(join(t.dataDir, 'workspaces', projectId))).toBe(false);
    expect([existsSync(artifactFolder(done.id)), existsSync(artifactFolder(busy.id))]).toEqual([
      false,
      false,
    ]);
  });
});

describe('projects.update', () => {
  it('edits the name, verify command and base prompt, and the next run uses them', async () => {
    const { id } = await t.api.caller.projects.create({ name: 'before', verifyCommand: 'test -f x.txt' });
    const updated = await t.api.caller.projects.update({
      id,
      name: '  after  ',
      verifyCommand: 'test -f done.txt',
      basePrompt: 'You are a careful agent.',
    });
    expect(updated).toMatchObject({
      name: 'after',
      verifyCommand: 'test -f done.txt',
      basePrompt: 'You are a careful agent.',
    });
    const run = await t.api.caller.runs.create({ projectId: id, prompt: 'run: echo no done.txt' });
    const ended = await t.ended(run.id);
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/verify command `test -f done.txt` failed/);
    expect(ended.systemInstructions).toContain('You are a careful agent.');
    // Emptied, the verify command is none, and the base prompt the default; left out, each stays.
    const emptied = await t.api.caller.projects.update({ id, verifyCommand: '', basePrompt: ' ' });
    expect([emptied.verifyCommand, emptied.basePrompt]).toEqual([null, 'You are a precise code agent.']);
    expect((await t.api.caller.projects.update({ id, name: 'renamed' })).basePrompt).toBe(
      'You are a precise code agent.',
    );
  });

  it('refuses a name another project has, naming it, and an empty one, naming the field', async () => {
    await t.api.caller.projects.create({ name: 'taken' });
    const { id } = await t.api.caller.projects.create({ name: 'mine' });
    const duplicate = await refusal(t.api.caller.projects.update({ id, name: 'taken' }));
    expect([duplicate.code, duplicate.message]).toEqual([
      'CONFLICT',
      'a project named "taken" already exists',
    ]);
    const empty = await refusal(t.api.caller.projects.update({ id, name: '  ' }));
    expect(empty.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(empty.cause)).toContain('name');
    expect((await t.api.caller.projects.get({ id })).name).toBe('mine');
  });
});
