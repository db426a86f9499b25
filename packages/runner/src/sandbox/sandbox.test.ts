import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import type { Step } from '@retrace/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestRunner, runInput, runToEnd } from '../test/harness';
import { hiddenPaths } from './hidden';

let model: OfflineModel;
let harness: Awaited<ReturnType<typeof createTestRunner>>;
const SECRETS = {
  RETRACE_TOKEN: 'the-server-token-0123456789abcdef',
  RETRACE_RUNNER_SECRET: 'the-runner-secret-0123456789',
  OPENAI_API_KEY: 'sk-test-the-model-key-0123456789',
  MY_SERVICE_PASSWORD: 'a-password-of-the-user-42',
};
beforeAll(async () => {
  model = await startOfflineModel();
  harness = await createTestRunner({ environment: { ...process.env, ...SECRETS } }, model);
});
afterAll(async () => {
  await harness.close();
  await model.close();
});

/** A path outside the data dir that a test must not be able to create. */
const outside = (name: string) => join(tmpdir(), `retrace-escape-${process.pid}-${name}`);
const escapes: string[] = [];
afterEach(() => {
  for (const path of escapes.splice(0)) rmSync(path, { force: true });
});

const output = (steps: Step[], command: string) =>
  String(
    (steps.find((s) => s.instruction === command)?.payload as { aggregated_output?: string })
      ?.aggregated_output,
  );

describe('every command of a run is sandboxed', () => {
  it('cannot write outside its workspace: not a parent folder, not /tmp', async () => {
    const up = outside('parent');
    const tmp = outside('tmp');
    escapes.push(up, tmp);
    for (const command of [`touch ${up}`, `touch ${tmp}`, 'touch ../sibling.txt']) {
      const { result } = await runToEnd(harness.runner, runInput(`run: ${command}`));
      expect(result.ok, command).toBe(false);
      expect(result.error).toMatch(/Read-only file system/);
    }
    expect(existsSync(up) || existsSync(tmp)).toBe(false);
  });

  it('writes in its workspace, and in its own TMPDIR, which is gone after the run', async () => {
    const { result, steps } = await runToEnd(
      harness.runner,
      runInput(
        'run: echo kept > kept.txt\nrun: echo scratch > "$TMPDIR/t" && cat "$TMPDIR/t" && echo "$TMPDIR"',
      ),
    );
    expect(result.ok, result.error ?? '').toBe(true);
    expect(readFileSync(join(result.workspacePath, 'kept.txt'), 'utf8')).toBe('kept\n');
    const lines = output(steps, 'echo scratch > "$TMPDIR/t" && cat "$TMPDIR/t" && echo "$TMPDIR"').split(
      '\n',
    );
    expect(lines[0]).toBe('scratch');
    expect(lines[1]?.startsWith(join(harness.dataDir, 'tmp'))).toBe(true);
    expect(existsSync(lines[1] ?? '/')).toBe(false);
  });

  it('cannot read the rest of the data dir: its database, its token, other runs', async () => {
    writeFileSync(join(harness.dataDir, 'retrace.db'), 'the database');
    const first = await runToEnd(harness.runner, runInput('run: echo mine > mine.txt'));
    const other = join(first.result.workspacePath, 'mine.txt');
    for (const path of [join(harness.dataDir, 'retrace.db'), other, join(harness.dataDir, 'codex-home')]) {
      const { result } = await runToEnd(harness.runner, runInput(`run: ls -d ${path} && cat ${path}`));
      expect(result.ok, path).toBe(false);
      expect(result.error).toMatch(/Permission denied|No such file/);
    }
  });

  it('a readonly run reads its workspace, and still not the database', async () => {
    const made = runInput('run: echo mine > mine.txt');
    await runToEnd(harness.runner, made);
    const readonly = { base_prompt: 'x', pattern_block: '', profile: 'readonly' as const };
    const fork = { kind: 'fork' as const, fromProjectId: 'proj', fromRunId: made.runId };
    const reads = await runToEnd(
      harness.runner,
      runInput('run: cat mine.txt', { workspace: fork, context: readonly }),
    );
    expect(reads.result.ok, reads.result.error ?? '').toBe(true);
    expect(output(reads.steps, 'cat mine.txt')).toBe('mine\n');
    const db = join(harness.dataDir, 'retrace.db');
    const peeks = await runToEnd(
      harness.runner,
      runInput(`run: cat ${db}`, { workspace: fork, context: readonly }),
    );
    expect(peeks.result.error).toMatch(/Permission denied|No such file/);
  });

  it('has no network, not even loopback', async () => {
    const port = new URL(model.url).port;
    const { result } = await runToEnd(harness.runner, runInput(`run: exec 3<>/dev/tcp/127.0.0.1/${port}`));
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/Operation not permitted/);
  });

  it('the verify command runs in the same sandbox: it cannot write outside the workspace', async () => {
    const target = outside('verify');
    escapes.push(target);
    const inside = await runToEnd(
      harness.runner,
      runInput('run: true', { verifyCommand: 'echo verified > verified.txt && test -s verified.txt' }),
    );
    expect(inside.result.ok, inside.result.error ?? '').toBe(true);
    const { result, steps } = await runToEnd(
      harness.runner,
      runInput('run: true', { verifyCommand: `touch ${target}` }),
    );
    expect(result.ok).toBe(false);
    expect(output(steps, `touch ${target}`)).toMatch(/Read-only file system/);
    expect(existsSync(target)).toBe(false);
  });

  it('a project that opts into full access is not confined', async () => {
    const target = outside('full');
    escapes.push(target);
    const { result } = await runToEnd(harness.runner, runInput(`run: touch ${target}`, { fullAccess: true }));
    expect(result.ok, result.error ?? '').toBe(true);
    expect(existsSync(target)).toBe(true);
  });
});

describe('the environment of commands', () => {
  it('holds none of Retrace’s variables or secrets, in a run or in its verify command', async () => {
    const { result, steps } = await runToEnd(
      harness.runner,
      runInput('run: printenv', { verifyCommand: 'printenv' }),
    );
    expect(result.ok, result.error ?? '').toBe(true);
    const printed = steps.filter((s) => s.instruction === 'printenv');
    expect(printed).toHaveLength(2);
    for (const step of printed) {
      const env = String((step.payload as { aggregated_output?: string }).aggregated_output);
      expect(env).toMatch(/^PATH=/m);
      for (const [name, value] of Object.entries(SECRETS)) {
        expect(env).not.toContain(name);
        expect(env).not.toContain(value);
      }
    }
  });
});

describe('hiddenPaths', () => {
  const root = join(tmpdir(), `retrace-hidden-${process.pid}`);
  beforeAll(() => {
    for (const dir of ['workspaces/p1/r1', 'workspaces/p1/r2', 'workspaces/p2/r3', 'tmp/r1', 'codex-home'])
      mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'retrace.db'), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const names = (paths: string[]) => paths.map((path) => path.slice(root.length + 1)).sort();

  it('hides the whole top of the data dir from a batch run: its workspace comes back writable', async () => {
    const hidden = await hiddenPaths(root, join(root, 'workspaces/p1/r1'), true);
    expect(names(hidden)).toEqual(['codex-home', 'retrace.db', 'tmp', 'workspaces']);
  });

  it('hides around a readonly run’s workspace: the rest of the top, and the other projects', async () => {
    const hidden = await hiddenPaths(root, join(root, 'workspaces/p1/r1'), false);
    expect(names(hidden)).toEqual(['codex-home', 'retrace.db', 'tmp', 'workspaces/p2']);
  });
});
