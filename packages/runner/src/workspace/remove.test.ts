import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunnerError } from '@retrace/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalRunnerClient } from '../clients/local';
import { createTestRunner, runInput, runToEnd } from '../test/harness';
import { workspacePath } from './paths';

let harness: Awaited<ReturnType<typeof createTestRunner>>;
beforeAll(async () => {
  harness = await createTestRunner();
});
afterAll(() => harness.close());

const ended = (projectId: string, prompt = 'run: echo hi > hi.txt') =>
  runToEnd(harness.runner, runInput(prompt, { projectId }));

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('removeWorkspaces', () => {
  it('deletes the runs named, read-only folders included, and leaves the others', async () => {
    const one = await ended('keep');
    const two = await ended('keep');
    // As a tool's cache (a Go module cache, say) leaves it: a folder nobody may write to.
    mkdirSync(join(one.result.workspacePath, 'cache/mod'), { recursive: true });
    writeFileSync(join(one.result.workspacePath, 'cache/mod/file.txt'), 'x\n');
    chmodSync(join(one.result.workspacePath, 'cache/mod'), 0o555);
    chmodSync(join(one.result.workspacePath, 'cache'), 0o555);
    const client = createLocalRunnerClient(harness.runner);
    const runId = one.result.workspacePath.split('/').at(-1) as string;
    expect(await client.removeWorkspaces({ projectId: 'keep', runIds: [runId, 'never-ran'] })).toEqual({
      removed: 1,
    });
    expect(existsSync(one.result.workspacePath)).toBe(false);
    expect(existsSync(join(two.result.workspacePath, 'hi.txt'))).toBe(true);
  });

  it('refuses a workspace an active run uses, deleting nothing, and deletes it once the run ended', async () => {
    const done = await ended('busy');
    const input = runInput('run: sleep 30.75', { projectId: 'busy' });
    harness.runner.start(input);
    const running = workspacePath(harness.dataDir, 'busy', input.runId);
    await waitFor(() => existsSync(join(running, '.git')));
    const client = createLocalRunnerClient(harness.runner);

    const refusal = await client.removeWorkspaces({ projectId: 'busy' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RunnerError);
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`is in use by run ${input.runId}`),
    });
    await expect(client.removeWorkspaces({ projectId: 'busy', runIds: [input.runId] })).rejects.toMatchObject(
      { code: 'CONFLICT' },
    );
    expect(existsSync(done.result.workspacePath)).toBe(true);
    expect(existsSync(running)).toBe(true);

    harness.runner.cancel(input.runId);
    for await (const _ of harness.runner.follow(input.runId, 0)) {
      // until its result
    }
    expect(await client.removeWorkspaces({ projectId: 'busy' })).toEqual({ removed: 2 });
    expect(existsSync(join(harness.dataDir, 'workspaces', 'busy'))).toBe(false);
  });

  it('refuses the workspace a starting run is copying from', async () => {
    const source = await ended('fork', 'run: sleep 0.1');
    const sourceId = source.result.workspacePath.split('/').at(-1) as string;
    const input = runInput('run: sleep 30.5', {
      projectId: 'fork',
      workspace: { kind: 'fork', fromProjectId: 'fork', fromRunId: sourceId },
    });
    harness.runner.start(input);
    const client = createLocalRunnerClient(harness.runner);
    await expect(client.removeWorkspaces({ projectId: 'fork', runIds: [sourceId] })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    harness.runner.cancel(input.runId);
    for await (const _ of harness.runner.follow(input.runId, 0)) {
      // until its result
    }
    expect(existsSync(source.result.workspacePath)).toBe(true);
  });

  it('says BAD_REQUEST for an id that could name another folder', async () => {
    const client = createLocalRunnerClient(harness.runner);
    await expect(client.removeWorkspaces({ projectId: '..' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('projectId'),
    });
    await expect(client.removeWorkspaces({ projectId: 'p', runIds: ['../x'] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
