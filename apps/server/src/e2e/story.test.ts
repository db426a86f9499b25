import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRetraceClient, type RetraceClient } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

let server: ServerProcess;
let client: RetraceClient;

beforeAll(async () => {
  server = await startServer();
  client = createRetraceClient({ url: server.url });
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('the whole story: a run, a pattern, a run that learns from it', () => {
  it('records run A, injects its pattern into run B on A’s workspace, and ranks A for a similar prompt', async () => {
    const project = await client.projects.create.mutate({ name: 'story' });

    const a = await client.runs.create.mutate({
      projectId: project.id,
      prompt: plan(
        'Write a greeting and show it.',
        'create notes/a.txt:',
        '```',
        'hello from A',
        '```',
        'run: cat notes/a.txt',
      ),
    });
    expect(a.status).toBe('queued');
    const runA = await finishedRun(client, a.id);
    expect(runA.status, runA.error ?? '').toBe('succeeded');
    expect(runA.filesTouched).toContain('notes/a.txt');

    const steps = (await client.runs.steps.query({ id: a.id })).items;
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
    expect(steps).toContainEqual(
      expect.objectContaining({
        kind: 'file_change',
        outcomeOk: true,
        instruction: expect.stringMatching(/^create notes\/a\.txt/),
      }),
    );
    expect(steps).toContainEqual(
      expect.objectContaining({ kind: 'command', instruction: 'cat notes/a.txt', outcomeOk: true }),
    );

    const preview = await client.patterns.preview.query({ runIds: [a.id] });
    expect(preview.steps.length).toBeGreaterThan(0);
    expect(preview.steps.length).toBeLessThanOrEqual(12);
    expect(preview.tokenCount).toBeLessThanOrEqual(600);
    expect(preview.block).toMatch(/^<reference_workflow[\s>]/);
    expect(preview.block).toContain('cat notes/a.txt');

    const repeat = 'Repeat the reference workflow, replacing notes/a.txt with notes/b.txt';
    const b = await client.runs.create.mutate({
      projectId: project.id,
      prompt: repeat,
      learnFromRunId: a.id,
      fromRunId: a.id,
    });
    expect(b.pattern?.block).toBe(preview.block);
    // Nothing has been sent yet: the run records its instructions when its runner sends them.
    expect([b.systemInstructions, b.codexInstructions]).toEqual([null, null]);
    const runB = await finishedRun(client, b.id);
    expect(runB.status, runB.error ?? '').toBe('succeeded');
    expect(runB.systemInstructions).toContain(preview.block);
    expect(runB.codexInstructions).toContain(preview.block);

    const workspaceA = runA.workspacePath as string;
    const workspaceB = runB.workspacePath as string;
    expect(workspaceB).not.toBe(workspaceA);
    expect(readFileSync(join(workspaceB, 'notes/a.txt'), 'utf8')).toBe('hello from A\n');
    expect(readFileSync(join(workspaceB, 'notes/b.txt'), 'utf8')).toBe('hello from A\n');
    expect(existsSync(join(workspaceA, 'notes/b.txt'))).toBe(false);
    expect(git(workspaceB, 'rev-parse', 'HEAD')).toBe(git(workspaceA, 'rev-parse', 'HEAD'));
    expect(git(workspaceB, 'log', '--format=%H')).toBe(git(workspaceA, 'log', '--format=%H'));

    const injected = await client.patterns.forRun.query({ id: b.id });
    expect(injected?.block).toBe(preview.block);
    expect(injected?.learnFromRunId).toBe(a.id);

    const c = await client.runs.create.mutate({ projectId: project.id, prompt: repeat });
    const runC = await finishedRun(client, c.id);
    expect(runC.status).toBe('failed');
    expect(runC.error).toMatch(/reference workflow/i);

    // A had no verify command: nothing but a person’s approval makes it safe to offer on its own.
    const similar = { projectId: project.id, prompt: 'create a greeting note and cat it' };
    expect(await client.patterns.suggest.query(similar)).toEqual([]);
    await client.runs.review.mutate({ id: a.id, verdict: 'approve' });
    const suggestions = await client.patterns.suggest.query(similar);
    expect(suggestions[0]?.run.id).toBe(a.id);
    expect(suggestions[0]?.reasons).toContain(`learned from #${runA.number} (approved)`);
    expect(suggestions.map((s) => s.run.id)).not.toContain(c.id);
  });
});
