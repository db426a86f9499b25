import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiffLimits, diffTrees, prepareWorkspace, readFromTree, snapshotTree } from './index';

/** The workspace as it is now against `base`, as a run's diff is made. */
const diffWorkspace = async (workspace: string, base: string, limits?: DiffLimits) =>
  diffTrees(workspace, base, await snapshotTree(workspace), limits);

let dataDir: string;
let ws: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: ws, encoding: 'utf8' });

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'retrace-diff-'));
  ws = (await prepareWorkspace({ dataDir, projectId: 'p', runId: 'r', request: { kind: 'new' } })).path;
  writeFileSync(join(ws, 'keep.txt'), 'one\ntwo\nthree\n');
  writeFileSync(join(ws, 'gone.txt'), 'bye\n');
  writeFileSync(join(ws, 'move me.txt'), `${'same line\n'.repeat(20)}`);
  git('add', '.');
  git('commit', '-qm', 'base');
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('diffWorkspace', () => {
  it('is empty when nothing changed, and leaves the index and HEAD alone', async () => {
    const head = git('rev-parse', 'HEAD');
    const status = git('status', '--porcelain');
    const base = await snapshotTree(ws);
    expect((await diffWorkspace(ws, base)).files).toEqual([]);
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('status', '--porcelain')).toBe(status);
  });

  it('never runs a command the workspace’s own git config names (an fsmonitor hook)', async () => {
    const marker = join(dataDir, 'hook-ran');
    git('config', 'core.fsmonitor', `touch '${marker}'; echo`);
    writeFileSync(join(ws, 'new.txt'), 'hello\n');
    const base = await snapshotTree(ws);
    await diffWorkspace(ws, base);
    expect(existsSync(marker)).toBe(false);
  });

  it('reports added, modified, deleted, renamed and binary files with counts and patches', async () => {
    const base = await snapshotTree(ws);
    writeFileSync(join(ws, 'keep.txt'), 'one\n2\nthree\nfour\n');
    unlinkSync(join(ws, 'gone.txt'));
    renameSync(join(ws, 'move me.txt'), join(ws, 'moved ü.txt'));
    writeFileSync(join(ws, 'new.txt'), 'hello\n');
    writeFileSync(join(ws, 'image.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
    // Names that look like git's own separators: one output holds every file's status and counts.
    writeFileSync(join(ws, ':colon\ttab.txt'), 'a\nb\n');
    const diff = await diffWorkspace(ws, base);
    const byPath = Object.fromEntries(diff.files.map((f) => [f.path, f]));
    expect(byPath['keep.txt']).toMatchObject({
      status: 'modified',
      additions: 2,
      deletions: 1,
      binary: false,
    });
    expect(byPath['keep.txt']?.patch).toContain('+four');
    expect(byPath['gone.txt']).toMatchObject({ status: 'deleted', deletions: 1 });
    expect(byPath['new.txt']).toMatchObject({ status: 'added', additions: 1 });
    expect(byPath['moved ü.txt']).toMatchObject({
      status: 'renamed',
      oldPath: 'move me.txt',
      additions: 0,
      deletions: 0,
    });
    expect(byPath['image.bin']).toMatchObject({ status: 'added', binary: true, patch: '' });
    expect(byPath[':colon\ttab.txt']).toMatchObject({ status: 'added', additions: 2, deletions: 0 });
    expect(byPath[':colon\ttab.txt']?.patch).toContain('+b');
    expect(diff.files).toHaveLength(6);
    expect(diff.additions).toBe(5);
    expect(diff.deletions).toBe(2);
  });

  it('takes the base with uncommitted changes: a file dirty before the run is not reported unless changed further', async () => {
    writeFileSync(join(ws, 'keep.txt'), 'dirty before the run\n');
    const base = await snapshotTree(ws);
    writeFileSync(join(ws, 'other.txt'), 'x\n');
    expect((await diffWorkspace(ws, base)).files.map((f) => f.path)).toEqual(['other.txt']);
    writeFileSync(join(ws, 'keep.txt'), 'dirty before the run\nand after\n');
    expect((await diffWorkspace(ws, base)).files.map((f) => f.path)).toEqual(['keep.txt', 'other.txt']);
    expect(await readFromTree(ws, base, 'keep.txt')).toBe('dirty before the run\n');
    expect(await readFromTree(ws, base, 'missing.txt')).toBeNull();
  });

  it('cuts a very large patch, says so, and keeps the counts', async () => {
    const base = await snapshotTree(ws);
    writeFileSync(join(ws, 'big.txt'), Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n'));
    const diff = await diffWorkspace(ws, base, { filePatchChars: 1000, totalPatchChars: 5000 });
    const big = diff.files.find((f) => f.path === 'big.txt');
    expect(big?.additions).toBe(5000);
    expect(big?.truncated).toBe(true);
    expect(big?.patch.length).toBeLessThan(1200);
    expect(big?.patch).toMatch(/patch truncated by Retrace/);
    expect(diff.truncated).toBe(true);
  });
});
