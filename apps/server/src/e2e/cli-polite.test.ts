import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRetraceClient, type RetraceClient } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSourceRepo } from '../test/git-repos';
import { finishedRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

const bin = fileURLToPath(new URL('../../../../packages/client/bin/retrace.mjs', import.meta.url));
let server: ServerProcess;
let client: RetraceClient;
let root: string;
/** polite#1 succeeded, polite#2 failed. */
const polite = { projectId: '', succeeded: '', failed: '' };

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI. `reader` says when whoever reads its stdout goes away: `gone` before it
 * writes anything (`| true`), `after-first-line` once a line has come (`| head -1`).
 */
function retrace(args: string[], reader: 'stays' | 'gone' | 'after-first-line' = 'stays'): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, RETRACE_URL: server.url, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    if (reader === 'gone') child.stdout.destroy();
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (reader === 'after-first-line' && stdout.includes('\n')) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const firstLine = (text: string) => text.split('\n')[0];
const TRACE = /ERR_PARSE_ARGS|EPIPE|\n\s+at /;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'retrace-cli-polite-'));
  server = await startServer();
  client = createRetraceClient({ url: server.url });
  polite.projectId = (await client.projects.create.mutate({ name: 'polite' })).id;
  const start = async (prompt: string) => {
    const run = await client.runs.create.mutate({ projectId: polite.projectId, prompt });
    return (await finishedRun(client, run.id)).id;
  };
  polite.succeeded = await start(plan('create notes/a.txt:', '```', 'hello', '```', 'run: cat notes/a.txt'));
  polite.failed = await start('fail: no');
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a CLI that fails politely', () => {
  it('names an unknown flag or command in one line, then the usage; exit 2, no stack trace', async () => {
    const flag = await retrace(['run', 'polite', 'run: ls', '--learnfrom', '1']);
    expect(flag.code).toBe(2);
    expect(firstLine(flag.stderr)).toBe('retrace: unknown option --learnfrom for "run"');
    expect(flag.stderr).toContain('usage: retrace run <project> "<prompt>" [--learn-from <runs>]');
    expect(flag.stderr).not.toMatch(TRACE);
    expect(flag.stdout).toBe('');

    // A flag of another command is unknown to this one.
    const elsewhere = await retrace(['show', 'polite#1', '--injected']);
    expect(elsewhere.code).toBe(2);
    expect(firstLine(elsewhere.stderr)).toBe('retrace: unknown option --injected for "show"');
    expect(elsewhere.stderr).toContain('usage: retrace show <run>');

    const command = await retrace(['frobnicate']);
    expect(command.code).toBe(2);
    expect(firstLine(command.stderr)).toBe('retrace: unknown command "frobnicate"');
    expect(command.stderr).toContain('retrace help <command>');
  });

  it('says what is missing or wrong in the arguments; exit 2 with the usage', async () => {
    for (const [args, said, usage] of [
      [['show'], 'retrace: missing <run> for "show"', 'usage: retrace show <run>'],
      [['run', 'polite'], 'retrace: missing "<prompt>" for "run"', 'usage: retrace run <project>'],
      [
        ['projects', 'create'],
        'retrace: missing <name> for "projects create"',
        'retrace projects create <name>',
      ],
      [
        ['run', 'polite', 'run: ls', '--from'],
        'retrace: --from for "run" needs a value',
        'usage: retrace run',
      ],
      [
        ['experiment', 'polite', 'run: ls'],
        'retrace: missing --attempts for "experiment"',
        'usage: retrace experiment',
      ],
      [
        ['show', 'polite#1', 'polite#2'],
        'retrace: unexpected argument "polite#2" for "show"',
        'usage: retrace show',
      ],
      [
        ['review', 'polite#1', 'maybe'],
        'retrace: the verdict is approve or reject, not "maybe"',
        'usage: retrace review',
      ],
    ] as const) {
      const result = await retrace([...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(firstLine(result.stderr)).toBe(said);
      expect(result.stderr).toContain(usage);
      expect(result.stderr).not.toMatch(TRACE);
    }
  });

  it('prints a command’s usage for help <command> and <command> --help (exit 0), and lists them all', async () => {
    const help = await retrace(['help', 'run']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^retrace run <project> "<prompt>" .*\[--from <run>\]/m);
    expect(help.stdout).toMatch(/^ {2}--learn-from <runs> {2,}learn from these runs/m);
    expect(help.stdout).toMatch(/^ {2}--json {2,}print the API's JSON and nothing else/m);
    expect(help.stderr).toBe('');
    expect(await retrace(['run', '--help'])).toEqual(help);
    expect((await retrace(['retry', 'polite#1', '-h'])).stdout).toMatch(/^retrace retry <run>$/m);

    const projects = await retrace(['help', 'projects']);
    expect(projects.stdout).toMatch(/^retrace projects$/m);
    expect(projects.stdout).toMatch(/^retrace projects create <name> \[--verify <cmd>\]/m);

    const nosuch = await retrace(['help', 'nosuch']);
    expect(nosuch.code).toBe(2);
    expect(firstLine(nosuch.stderr)).toBe('retrace: unknown command "nosuch"');

    const all = await retrace(['--help']);
    expect(all.code).toBe(0);
    for (const name of ['projects', 'runs', 'run', 'retry', 'show', 'pattern', 'patterns', 'review']) {
      expect(all.stdout).toMatch(new RegExp(`^ {2}retrace ${name} `, 'm'));
    }
    expect(all.stdout).toMatch(/^ {2}retrace help <command>$/m);
    expect(all.stdout).toMatch(/^ {2}--json {2,}print the API's JSON/m);
  });

  it('speaks of the user’s runs, not of the API’s fields, when the API refuses', async () => {
    const learned = await retrace(['run', 'polite', 'run: ls', '--learn-from', '2']);
    expect(learned.code).toBe(1);
    expect(learned.stderr.trim()).toBe(
      'retrace: run #2 did not succeed (failed); only successful runs can be learned from',
    );
    const taught = await retrace(['pattern', 'polite#2']);
    expect(taught.stderr.trim()).toBe(
      'retrace: run #2 did not succeed (failed); only successful runs can be learned from',
    );
    const source = await retrace(['projects', 'create', 'polite-nowhere', '--source', 'nowhere']);
    expect(source.code).toBe(1);
    expect(source.stderr.trim()).toBe(
      'retrace: --source: must be a git URL or an absolute path to a local repository',
    );
    // The API's callers still get the field.
    const refused = await client.patterns.preview
      .query({ runIds: [polite.failed] })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      data: { issues: [{ field: 'runIds', message: expect.stringMatching(/^run #2 did not succeed/) }] },
    });
  });
});

/** The number of the run a `run` or `retry` announced. */
function startedNumber(stdout: string): number {
  const started = /^run #(\d+) \S+ queued in /m.exec(stdout);
  if (!started?.[1]) throw new Error(`no run started:\n${stdout}`);
  return Number(started[1]);
}

describe('retry, show and --json', () => {
  it('retries a run as `run` runs one: followed live, naming what it retries, exit 1 if the retry fails', async () => {
    const retried = await retrace(['retry', 'polite#1']);
    expect(retried.code, retried.stderr).toBe(0);
    const n = startedNumber(retried.stdout);
    expect(retried.stdout).toMatch(new RegExp(`^run #${n} \\S+ queued in polite, a retry of #1$`, 'm'));
    expect(retried.stdout).toMatch(/^ +\d+ ✓ \$ +cat notes\/a\.txt$/m);
    expect(retried.stdout).toMatch(new RegExp(`^run #${n} succeeded in `, 'm'));

    const failed = await retrace(['retry', 'polite#2']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/queued in polite, a retry of #2$/m);
    expect(failed.stdout).toMatch(/^run #\d+ failed in /m);

    const streamed = await retrace(['retry', 'polite#1', '--json']);
    expect(streamed.code, streamed.stderr).toBe(0);
    const events = streamed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.at(-1)).toMatchObject({ type: 'status', phase: null, status: 'succeeded' });
    const retry = await client.runs.get.query({ id: events[0].runId });
    expect(retry.retryOfRunId).toBe(polite.succeeded);
  });

  it('shows the runs a run came from by number, and the commit its workspace started from', async () => {
    const learner = await retrace([
      'run',
      'polite',
      'Repeat the reference workflow, replacing notes/a.txt with notes/b.txt',
      '--learn-from',
      '1',
      '--from',
      '1',
    ]);
    expect(learner.code, learner.stdout).toBe(0);
    const learnerNumber = startedNumber(learner.stdout);
    const again = await retrace(['retry', `polite#${learnerNumber}`]);
    expect(again.code, again.stdout).toBe(0);
    const againNumber = startedNumber(again.stdout);

    const shown = (await retrace(['show', `polite#${againNumber}`])).stdout.split('\n');
    expect(shown).toContain('learned from: #1');
    expect(shown).toContain("continued from: #1's workspace");
    expect(shown).toContain(`retry of: #${learnerNumber}`);
    const { run } = JSON.parse((await retrace(['show', `polite#${againNumber}`, '--json'])).stdout);
    expect(run.baseCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(shown).toContain(`base commit: ${run.baseCommit.slice(0, 12)}`);

    const first = (await retrace(['show', 'polite#1'])).stdout;
    expect(first).not.toMatch(/^(learned from|continued from|retry of):/m);
  });

  it('shows the branch a run’s change became, and where it was pushed', async () => {
    const { source } = makeSourceRepo(root);
    const project = await client.projects.create.mutate({ name: 'polite-repo', sourceRepo: source });
    const started = await client.runs.create.mutate({
      projectId: project.id,
      prompt: plan('create notes/a.txt:', '```', 'note', '```'),
    });
    expect((await finishedRun(client, started.id)).status).toBe('succeeded');
    await client.runs.toBranch.mutate({ id: started.id, branch: 'retrace/polite', push: true });
    const { branch, baseCommit } = await client.runs.get.query({ id: started.id });

    const shown = (await retrace(['show', 'polite-repo#1'])).stdout.split('\n');
    expect(shown).toContain(`base commit: ${baseCommit?.slice(0, 12)}`);
    expect(shown).toContain(
      `branch: retrace/polite at ${branch?.commit.slice(0, 12)}, pushed to ${branch?.remote}`,
    );
  });

  it('--json prints the API’s JSON and nothing else, for every read command, and says so in --help', async () => {
    const json = async (...args: string[]) => {
      const result = await retrace([...args, '--json']);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout);
    };
    const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);
    expect(ids(await json('projects'))).toEqual(ids(await client.projects.list.query()));
    const page = await client.runs.list.query({ projectId: polite.projectId, limit: 50 });
    expect(ids((await json('runs', 'polite')).items)).toEqual(ids(page.items));
    expect(await json('show', 'polite#1')).toEqual({
      run: await client.runs.get.query({ id: polite.succeeded }),
      steps: (await client.runs.steps.query({ id: polite.succeeded, limit: 1000 })).items,
    });
    expect((await json('pattern', 'polite#1')).block).toBe(
      (await client.patterns.preview.query({ runIds: [polite.succeeded] })).block,
    );
    expect(await json('pattern', 'polite#1', '--injected')).toBeNull();
    expect(ids(await json('patterns', 'polite'))).toEqual(
      ids(await client.patterns.list.query({ projectId: polite.projectId })),
    );
    for (const command of ['projects', 'runs', 'show', 'pattern', 'patterns'])
      expect((await retrace(['help', command])).stdout).toMatch(
        /--json +print the API's JSON and nothing else: one pretty-printed document/,
      );
  });
});

describe('a CLI whose output can be piped', () => {
  it('ends quietly with exit 0 when the reader has gone before it writes (retrace runs … | true)', async () => {
    const result = await retrace(['runs', 'polite'], 'gone');
    expect(result.stderr).not.toMatch(TRACE);
    expect(result.stderr).toBe('');
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
  });

  it('ends quietly with exit 0 when the reader leaves after the first line (retrace run … | head -1)', async () => {
    await client.projects.create.mutate({ name: 'piped' });
    const result = await retrace(
      ['run', 'piped', plan('run: sleep 1', 'run: echo one', 'run: echo two')],
      'after-first-line',
    );
    expect(firstLine(result.stdout)).toMatch(/^run #1 \S+ queued in piped$/);
    expect(result.stderr).not.toMatch(TRACE);
    expect(result.stderr).toBe('');
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
  });
});
