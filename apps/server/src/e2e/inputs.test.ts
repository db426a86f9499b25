import { createRetraceClient, type RetraceClient, TRPCClientError } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRun } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

let server: ServerProcess;
let client: RetraceClient;
let projectId: string;
let otherProjectId: string;
let failedRunId: string;
let succeededRunId: string;

beforeAll(async () => {
  server = await startServer();
  client = createRetraceClient({ url: server.url });
  projectId = (await client.projects.create.mutate({ name: 'inputs' })).id;
  otherProjectId = (await client.projects.create.mutate({ name: 'other' })).id;
  const failed = await client.runs.create.mutate({ projectId, prompt: 'fail: on purpose' });
  failedRunId = (await finishedRun(client, failed.id)).id;
  const succeeded = await client.runs.create.mutate({ projectId, prompt: 'run: true' });
  succeededRunId = (await finishedRun(client, succeeded.id)).id;
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

async function errorOf(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      return {
        code: error.data?.code as string,
        message: error.message,
        issues: error.data?.issues as unknown,
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

const missing = 'run_doesnotexist';

describe('bad inputs get the right tRPC codes and name the field', () => {
  it('projects', async () => {
    expect(await errorOf(client.projects.create.mutate({ name: '' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('name'),
      issues: [{ field: 'name', message: 'must not be empty' }],
    });
    expect(await errorOf(client.projects.create.mutate({ name: 'x'.repeat(500) }))).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ field: 'name' })],
    });
    expect(await errorOf(client.projects.create.mutate({ name: 'inputs' }))).toMatchObject({
      code: 'CONFLICT',
    });
    expect(
      await errorOf(client.projects.create.mutate({ name: 'r', sourceRepo: 'relative/path' })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ field: 'sourceRepo' })],
    });
    expect(await errorOf(client.projects.get.query({ id: 'proj_nope' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await errorOf(client.projects.update.mutate({ id: 'proj_nope', name: 'n' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await errorOf(client.projects.delete.mutate({ id: 'proj_nope' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('runs.create', async () => {
    expect(await errorOf(client.runs.create.mutate({ projectId, prompt: '   ' }))).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [{ field: 'prompt', message: 'must not be empty' }],
    });
    expect(
      await errorOf(client.runs.create.mutate({ projectId, prompt: 'x'.repeat(100_001) })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ field: 'prompt' })],
    });
    expect(
      await errorOf(client.runs.create.mutate({ projectId: 'proj_nope', prompt: 'run: ls' })),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await errorOf(client.runs.create.mutate({ projectId, prompt: 'run: ls', learnFromRunId: missing })),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await errorOf(client.runs.create.mutate({ projectId, prompt: 'run: ls', learnFromRunId: failedRunId })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/learnFromRunId: .*did not succeed/),
    });
    expect(
      await errorOf(
        client.runs.create.mutate({ projectId: otherProjectId, prompt: 'run: ls', fromRunId: failedRunId }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/fromRunId: .*another project/) });
    expect(
      await errorOf(client.runs.create.mutate({ projectId, prompt: 'run: ls', profile: 'turbo' as never })),
    ).toMatchObject({ code: 'BAD_REQUEST', issues: [expect.objectContaining({ field: 'profile' })] });
  });

  it('the other run procedures', async () => {
    const errors = await Promise.all(
      [
        client.runs.get.query({ id: missing }),
        client.runs.steps.query({ id: missing }),
        client.runs.diff.query({ id: missing }),
        client.runs.artifacts.query({ id: missing }),
        client.runs.cancel.mutate({ id: missing }),
        client.runs.retry.mutate({ id: missing }),
        client.runs.delete.mutate({ id: missing }),
        client.patterns.forRun.query({ id: missing }),
      ].map(errorOf),
    );
    for (const error of errors) expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errorOf(client.runs.list.query({ projectId, limit: 0 }))).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ field: 'limit' })],
    });
    expect(await errorOf(client.runs.steps.query({ id: failedRunId, afterSeq: -1 }))).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ field: 'afterSeq' })],
    });
    expect(await errorOf(client.runs.cancel.mutate({ id: failedRunId }))).toMatchObject({ code: 'CONFLICT' });
    expect(await errorOf(client.runs.delete.mutate({ id: '' }))).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ field: 'id' })],
    });
    for (const query of ['x'.repeat(501), 'login\u0000']) {
      expect(await errorOf(client.runs.list.query({ projectId, query }))).toMatchObject({
        code: 'BAD_REQUEST',
        issues: [expect.objectContaining({ field: 'query' })],
      });
    }
  });

  it('patterns', async () => {
    expect(await errorOf(client.patterns.preview.query({ runIds: [] }))).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ field: 'runIds' })],
    });
    expect(await errorOf(client.patterns.preview.query({ runIds: [failedRunId] }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/runIds: .*did not succeed/),
    });
    expect(await errorOf(client.patterns.preview.query({ runIds: [missing] }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await errorOf(client.patterns.suggest.query({ projectId: 'proj_nope', prompt: 'x' })),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await errorOf(client.patterns.suggest.query({ projectId, prompt: '' }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('learning: patterns, reviews, experiments, several runs and autoLearn', async () => {
    const found = await Promise.all(
      [
        client.patterns.get.query({ id: 'pat_doesnotexist' }),
        client.patterns.ofRun.query({ id: missing }),
        client.patterns.list.query({ projectId: 'proj_nope' }),
        client.experiments.get.query({ id: 'exp_doesnotexist' }),
        client.experiments.list.query({ projectId: 'proj_nope' }),
        client.runs.review.mutate({ id: missing, verdict: 'approve' }),
      ].map(errorOf),
    );
    for (const error of found) expect(error).toMatchObject({ code: 'NOT_FOUND' });

    expect(
      await errorOf(client.runs.review.mutate({ id: failedRunId, verdict: 'maybe' as 'approve' })),
    ).toMatchObject({ code: 'BAD_REQUEST', issues: [expect.objectContaining({ field: 'verdict' })] });
    const running = await client.runs.create.mutate({ projectId, prompt: 'run: sleep 30' });
    expect(await errorOf(client.runs.review.mutate({ id: running.id, verdict: 'approve' }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is (queued|running); a run can be reviewed once it has ended/),
    });
    expect(await errorOf(client.runs.delete.mutate({ id: running.id }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^run #\d+ is (queued|running); cancel it first$/),
    });
    await client.runs.cancel.mutate({ id: running.id });

    expect(
      await errorOf(client.runs.create.mutate({ projectId, prompt: 'x', learnFromRunIds: [failedRunId] })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/learnFromRunIds: run #\d+ did not succeed \(failed\)/),
    });
    expect(
      await errorOf(client.runs.create.mutate({ projectId, prompt: 'x', learnFromRunIds: [] })),
    ).toMatchObject({ code: 'BAD_REQUEST', issues: [expect.objectContaining({ field: 'learnFromRunIds' })] });

    const experiment = (arms: Array<{ name: string; learnFromRunIds?: string[] }>, attempts = 2) =>
      errorOf(client.experiments.create.mutate({ projectId, prompt: 'run: ls', attempts, arms }));
    expect(await experiment([])).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ field: 'arms' })],
    });
    expect(await experiment([{ name: 'a' }], 0)).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ field: 'attempts' })],
    });
    expect(await experiment([{ name: 'same' }, { name: 'same' }])).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/arms.*same/),
    });
    expect(await experiment([{ name: 'with', learnFromRunIds: [missing] }])).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await errorOf(
        client.experiments.create.mutate({
          projectId: otherProjectId,
          prompt: 'run: ls',
          attempts: 1,
          arms: [{ name: 'with', learnFromRunIds: [succeededRunId] }],
        }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/must be of this project/) });
    // A bad starting point is refused before any attempt is queued or the experiment stored.
    const before = (await client.runs.list.query({ projectId })).items.length;
    expect(
      await errorOf(
        client.experiments.create.mutate({
          projectId,
          prompt: 'run: ls',
          attempts: 1,
          arms: [{ name: 'without' }],
          fromRunId: missing,
        }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect((await client.runs.list.query({ projectId })).items.length).toBe(before);
    expect(await client.experiments.list.query({ projectId })).toEqual([]);
  });

  it('subscriptions', async () => {
    const failure = (input: { id: string; lastEventId?: string }) =>
      new Promise<unknown>((resolve) => {
        const sub = client.subscriptions.run.subscribe(input, {
          onError: (error) => {
            sub.unsubscribe();
            resolve(error);
          },
          onData: () => undefined,
        });
      });
    expect(await errorOf(Promise.reject(await failure({ id: missing })))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await errorOf(Promise.reject(await failure({ id: failedRunId, lastEventId: 'abc' }))),
    ).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
