import { createRetraceClient, type RetraceClient } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

// The story, offline, through the real server: a pattern with a record, a pitfall
// from a failure, explained choices, and an experiment that measures.
let server: ServerProcess;
let client: RetraceClient;
let projectId: string;

beforeAll(async () => {
  server = await startServer();
  client = createRetraceClient({ url: server.url });
  // A verify command: runs that pass it are verified, and so safe for Retrace to learn from.
  ({ id: projectId } = await client.projects.create.mutate({
    name: 'learning',
    verifyCommand: 'test -d notes',
  }));
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const create = async (input: Omit<Parameters<RetraceClient['runs']['create']['mutate']>[0], 'projectId'>) =>
  finishedRun(client, (await client.runs.create.mutate({ projectId, ...input })).id);

const CREATE_A = plan('create notes/a.txt:', '```', 'hello', '```', 'run: cat notes/a.txt');

describe('learning that keeps score', () => {
  let a: Awaited<ReturnType<typeof create>>;

  it('run A succeeds, verified; run B learning from it succeeds, and A’s pattern says injected 1, succeeded 1', async () => {
    a = await create({ prompt: CREATE_A });
    expect([a.status, a.verified]).toEqual(['succeeded', true]);
    const b = await create({
      prompt: 'Repeat the reference workflow, replacing notes/a.txt with notes/b.txt',
      learnFromRunId: a.id,
      fromRunId: a.id,
    });
    expect(b.status, b.error ?? '').toBe('succeeded');
    expect(b.learnReason).toEqual({ by: 'person' });
    const taught = await client.patterns.ofRun.query({ id: a.id });
    expect(taught?.id).toBe(b.patternId);
    expect(taught?.record).toMatchObject({ injected: 1, succeeded: 1, failed: 0, verified: 1 });
    expect(taught?.usedBy.map((run) => run.id)).toEqual([b.id]);
    expect((await client.patterns.list.query({ projectId })).map((p) => p.id)).toContain(taught?.id);
  });

  it('run C given A’s pattern fails, and A’s block carries that pitfall', async () => {
    const c = await create({ prompt: plan('run: cat notes/missing.txt'), learnFromRunId: a.id });
    expect(c.status).toBe('failed');
    const taught = await client.patterns.ofRun.query({ id: a.id });
    expect(taught?.record).toMatchObject({ injected: 2, succeeded: 1, failed: 1 });
    expect(taught?.pitfalls).toEqual([expect.stringContaining('cat notes/missing.txt')]);
    expect(taught?.block).toMatch(
      /<pitfalls>\n<pitfall>[^\n]*cat notes\/missing\.txt[^\n]*<\/pitfall>\n<\/pitfalls>/,
    );
  });

  it('an unrelated prompt gets no suggestion, and autoLearn gives it nothing, saying why', async () => {
    const prompt = 'run: sleep 0.1';
    expect(await client.patterns.suggest.query({ projectId, prompt })).toEqual([]);
    const run = await create({ prompt, autoLearn: true });
    expect(run.pattern).toBeNull();
    expect(run.learnReason).toMatchObject({
      by: 'auto',
      picked: false,
      reasons: expect.arrayContaining([expect.stringMatching(/no pattern scored 0.5 or more/)]),
    });
  });

  it('a similar prompt with autoLearn gets A’s pattern, its score and reasons stored', async () => {
    const prompt = plan('create notes/c.txt:', '```', 'hello', '```', 'run: cat notes/c.txt');
    const [best] = await client.patterns.suggest.query({ projectId, prompt });
    expect(best?.sourceRunIds).toEqual([a.id]);
    expect(best?.score).toBeGreaterThanOrEqual(0.5);
    const run = await create({ prompt, autoLearn: true });
    expect(run.pattern?.sourceRunIds).toEqual([a.id]);
    expect(run.learnReason).toMatchObject({ by: 'auto', picked: true, score: best?.score });
    const { reasons } = run.learnReason as { reasons: string[] };
    expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/notes\/c\.txt/)]));
    // Stored as suggested: what it rests on, the score kept in its own field.
    expect(reasons).toEqual(best?.reasons);
  });

  it('a replay of a value the pattern does not hold fails, naming it and the values it holds', async () => {
    const b = (await client.runs.list.query({ projectId, limit: 50 })).items.find((r) => r.number === 2);
    const run = await create({
      prompt: 'Repeat the reference workflow, replacing notes/a.txt with notes/d.txt',
      learnFromRunId: b?.id,
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/notes\/a\.txt/);
    expect(run.error).toMatch(/notes\/b\.txt/);
  });

  it('a person’s review counts in the record, and only an ended run can be reviewed', async () => {
    const taught = await client.patterns.ofRun.query({ id: a.id });
    const used = taught?.usedBy.find((run) => run.status === 'succeeded');
    const reviewed = await client.runs.review.mutate({
      id: used?.id ?? '',
      verdict: 'approve',
      note: 'kept it',
    });
    expect(reviewed.review).toMatchObject({ verdict: 'approve', note: 'kept it' });
    expect((await client.patterns.ofRun.query({ id: a.id }))?.record.approved).toBe(1);
  });
});

describe('an experiment', () => {
  it('runs 3 attempts × 2 arms and reports each arm with its interval and the difference', async () => {
    const a = (await client.runs.list.query({ projectId, limit: 100 })).items.find((r) => r.number === 1);
    expect(a?.status).toBe('succeeded');
    const prompt = 'Repeat the reference workflow, replacing notes/a.txt with notes/e.txt';
    const experiment = await client.experiments.create.mutate({
      projectId,
      prompt,
      attempts: 3,
      arms: [{ name: 'without' }, { name: 'with #1', learnFromRunIds: [a?.id ?? ''] }],
    });
    expect(experiment.arms.map((arm) => arm.runIds.length)).toEqual([3, 3]);
    for (const id of experiment.arms.flatMap((arm) => arm.runIds)) await finishedRun(client, id);
    const result = await client.experiments.get.query({ id: experiment.id });
    expect(result.done).toBe(true);
    const [without, withA] = result.arms;
    // The offline model is deterministic: without the pattern a replay cannot be done, with it it can.
    expect([without?.succeeded, without?.failed, withA?.succeeded, withA?.failed]).toEqual([0, 3, 3, 0]);
    expect(without?.interval[0]).toBe(0);
    expect(without?.interval[1]).toBeCloseTo(0.5615, 3);
    expect(withA?.interval[0]).toBeCloseTo(0.4385, 3);
    expect(result.comparison).toEqual([
      expect.objectContaining({ arm: 'with #1', against: 'without', successRateDelta: 1 }),
    ]);
    expect((await client.experiments.list.query({ projectId })).map((e) => e.id)).toContain(experiment.id);
  });
});
