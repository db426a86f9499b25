import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

const bin = fileURLToPath(new URL('../../../../packages/client/bin/retrace.mjs', import.meta.url));
let server: ServerProcess;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

function retrace(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, RETRACE_URL: server.url, NO_COLOR: '1' } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          out: `${stdout}${stderr}`,
        }),
    );
  });
}

describe('the retrace CLI', () => {
  it('creates a project, streams a run, learns from it, shows runs and patterns', async () => {
    expect((await retrace('projects', 'create', 'cli-demo')).out).toMatch(/created project cli-demo/);
    expect((await retrace('projects')).out).toMatch(/cli-demo\s+0 runs/);

    const first = await retrace(
      'run',
      'cli-demo',
      'create notes/a.txt:\n```\nhello\n```\nrun: cat notes/a.txt',
    );
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/run #1 .* queued in cli-demo/);
    expect(first.out).toMatch(/\$\s+cat notes\/a\.txt/);
    expect(first.out).toMatch(/run #1 succeeded/);

    const pattern = await retrace('pattern', 'cli-demo#1');
    expect(pattern.out).toMatch(/<reference_workflow/);
    expect(pattern.out).toMatch(/\d+ steps, \d+ tokens/);

    const second = await retrace(
      'run',
      'cli-demo',
      'Repeat the reference workflow, replacing notes/a.txt with notes/b.txt',
      '--learn-from',
      '1',
      '--from',
      '1',
    );
    expect(second.code, second.out).toBe(0);
    expect(second.out).toMatch(/learning from a pattern of \d+ steps/);
    expect(second.out).toMatch(/cat notes\/b\.txt/);

    const shown = await retrace('show', 'cli-demo#2');
    expect(shown.out).toMatch(/#2\s+succeeded/);
    expect((await retrace('pattern', 'cli-demo#2', '--injected')).out).toContain('cat notes/a.txt');
    expect((await retrace('runs', 'cli-demo')).out.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(
      2,
    );
  });

  it('keeps score: review, patterns with records, auto-learn reasons, an experiment table', async () => {
    await retrace('projects', 'create', 'cli-learn', '--verify', 'test -f notes/a.txt');
    const taught = await retrace(
      'run',
      'cli-learn',
      'create notes/a.txt:\n```\nhi\n```\nrun: cat notes/a.txt',
    );
    expect(taught.code, taught.out).toBe(0);
    expect((await retrace('show', 'cli-learn#1')).out).toMatch(/^verified$/m);

    const chosen = await retrace(
      'run',
      'cli-learn',
      'Repeat the reference workflow, replacing notes/a.txt with notes/c.txt',
      '--auto-learn',
      '--from',
      '1',
    );
    expect(chosen.out).toMatch(/Retrace chose its pattern \(score [\d.]+\): .*learned from #1 \(verified\)/);
    const none = await retrace('run', 'cli-learn', 'run: uname', '--auto-learn');
    expect(none.out).toMatch(/Retrace chose no pattern: no pattern scored 0\.5 or more/);

    expect((await retrace('review', 'cli-learn#2', 'reject', '--note', 'not what I asked')).out).toMatch(
      /run #2 rejected/,
    );
    expect((await retrace('show', 'cli-learn#2')).out).toMatch(/review: rejected — not what I asked/);
    expect((await retrace('review', 'cli-learn#2', 'maybe')).out).toMatch(/approve or reject, not "maybe"/);
    expect((await retrace('patterns', 'cli-learn')).out).toMatch(
      /from #1 .*injected 1, succeeded 1, failed 0, verified 1, rejected 1/,
    );

    const experiment = await retrace(
      'experiment',
      'cli-learn',
      'Repeat the reference workflow, replacing notes/a.txt with notes/b.txt',
      '--attempts',
      '2',
      '--learn-from',
      '1',
      '--from',
      '1',
    );
    expect(experiment.code, experiment.out).toBe(0);
    const table = experiment.out.split('\n');
    expect(table.filter((line) => / run #\d+ (succeeded|failed) in /.test(line))).toHaveLength(4);
    expect(table).toContainEqual(expect.stringMatching(/^without\s+0\/2\s+0%\s+0%–\d+%/));
    expect(table).toContainEqual(expect.stringMatching(/^with\s+2\/2\s+100%\s+\d+%–100%/));
    expect(experiment.out).toMatch(/with vs without: success \+100 pts/);
    expect((await retrace('experiment', 'cli-learn', 'run: ls', '--attempts', '2')).out).toMatch(
      /pass --learn-from or --auto-learn/,
    );
  });

  it('exits non-zero when the run fails, and explains usage mistakes', async () => {
    await retrace('projects', 'create', 'cli-fail');
    const failed = await retrace('run', 'cli-fail', 'fail: not today');
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/failed.*not today/);
    const unknown = await retrace('run', 'no-such-project', 'run: ls');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/no project "no-such-project"/);
    expect((await retrace('frobnicate')).code).toBe(2);
  });
});
