import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  forkWorkspace,
  prepareWorkspace,
  resolveWorkspaceInsideDataDir,
  snapshotTree,
  workspacePath,
} from './index';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'retrace-ws-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Every path under root, parents before their entries, in a stable order. */
function tree(root: string, at = ''): string[] {
  return readdirSync(join(root, at), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = at ? `${at}/${entry.name}` : entry.name;
      return entry.isDirectory() ? [path, ...tree(root, path)] : [path];
    });
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

describe('a new workspace', () => {
  it('is a repository of its own even when the data dir sits inside another one', async () => {
    // As with the default ./.retrace inside a project's checkout.
    const outer = mkdtempSync(join(tmpdir(), 'retrace-outer-'));
    try {
      git(outer, 'init', '-q');
      writeFileSync(join(outer, 'README.md'), 'the outer project\n');
      git(outer, 'add', '-A');
      git(outer, 'commit', '-qm', 'outer');
      const nested = join(outer, '.retrace');
      const { path } = await prepareWorkspace({
        dataDir: nested,
        projectId: 'p',
        runId: 'r',
        request: { kind: 'new' },
      });
      expect(git(path, 'rev-parse', '--show-toplevel')).toBe(realpathSync(path));
      expect(git(path, 'log', '--format=%s')).toBe('Workspace created by Retrace');
      writeFileSync(join(path, 'hello.txt'), 'hi\n');
      expect(git(path, 'status', '--porcelain')).toBe('?? hello.txt');
      expect(git(outer, 'log', '--format=%s')).toBe('outer');
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });
});

describe('workspace paths', () => {
  it('puts a run’s workspace under <data dir>/workspaces/<project>/<run>', () => {
    expect(workspacePath(dataDir, 'proj_1', 'run_2')).toBe(join(dataDir, 'workspaces', 'proj_1', 'run_2'));
  });

  it.each(['..', '../x', 'a/b', '', '.hidden', 'a%2f..', '/etc', 'x'.repeat(65)])(
    'refuses the id %j',
    (id) => {
      expect(() => workspacePath(dataDir, id, 'run')).toThrow(/project id/);
      expect(() => workspacePath(dataDir, 'p', id)).toThrow(/run id/);
    },
  );

  it('resolves a free-form path inside the workspaces folder, creating it', async () => {
    const path = await resolveWorkspaceInsideDataDir(dataDir, 'demo/w1');
    expect(path).toBe(join(dataDir, 'workspaces', 'demo', 'w1'));
    expect(existsSync(path)).toBe(true);
    expect(await resolveWorkspaceInsideDataDir(dataDir, join(dataDir, 'workspaces', 'abs'))).toBe(
      join(dataDir, 'workspaces', 'abs'),
    );
  });

  it.each(['../outside', '/etc', 'a/../../..', '', '.'])('refuses the path %j', async (path) => {
    await expect(resolveWorkspaceInsideDataDir(dataDir, path)).rejects.toThrow(/workspace:/);
  });

  it('refuses a path that leaves through a symlink', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'retrace-outside-'));
    mkdirSync(join(dataDir, 'workspaces'), { recursive: true });
    symlinkSync(outside, join(dataDir, 'workspaces', 'escape'));
    await expect(resolveWorkspaceInsideDataDir(dataDir, 'escape/inner')).rejects.toThrow(/symlink/);
    expect(existsSync(join(outside, 'inner'))).toBe(false);
    rmSync(outside, { recursive: true, force: true });
  });
});

describe('prepareWorkspace', () => {
  it('says what each run starts from: the commit, and the tree a snapshot of it gives', async () => {
    const fresh = await prepareWorkspace({ dataDir, projectId: 'p', runId: 'r1', request: { kind: 'new' } });
    expect(fresh.base.commit).toBe(git(fresh.path, 'rev-parse', 'HEAD'));
    expect(fresh.base.tree).toBe(await snapshotTree(fresh.path));
    // A fork carries uncommitted work: its base is that work, not its commit's tree.
    writeFileSync(join(fresh.path, 'draft.txt'), 'not committed\n');
    const fork = await prepareWorkspace({
      dataDir,
      projectId: 'p',
      runId: 'r2',
      request: { kind: 'fork', fromProjectId: 'p', fromRunId: 'r1' },
    });
    expect(fork.base.commit).toBe(fresh.base.commit);
    expect(fork.base.tree).toBe(await snapshotTree(fork.path));
    expect(fork.base.tree).not.toBe(git(fork.path, 'rev-parse', 'HEAD^{tree}'));
  });

  it('creates a new workspace as a git repository with a commit', async () => {
    const { path } = await prepareWorkspace({
      dataDir,
      projectId: 'p',
      runId: 'r1',
      request: { kind: 'new' },
    });
    expect(git(path, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('clones a local repository with its history', async () => {
    const source = join(dataDir, 'source');
    mkdirSync(source);
    git(source, 'init', '-q');
    writeFileSync(join(source, 'a.txt'), 'a\n');
    git(source, 'add', '.');
    git(source, 'commit', '-qm', 'one');
    writeFileSync(join(source, 'a.txt'), 'b\n');
    git(source, 'commit', '-qam', 'two');
    const { path } = await prepareWorkspace({
      dataDir,
      projectId: 'p',
      runId: 'r1',
      request: { kind: 'clone', source },
    });
    expect(git(path, 'log', '--format=%s')).toBe('two\none');
    expect(readFileSync(join(path, 'a.txt'), 'utf8')).toBe('b\n');
  });

  it('reports a clone that fails', async () => {
    await expect(
      prepareWorkspace({
        dataDir,
        projectId: 'p',
        runId: 'r1',
        request: { kind: 'clone', source: join(dataDir, 'nope') },
      }),
    ).rejects.toThrow(/could not clone/);
  });

  it('refuses to fork a workspace that does not exist', async () => {
    await expect(
      prepareWorkspace({
        dataDir,
        projectId: 'p',
        runId: 'r2',
        request: { kind: 'fork', fromProjectId: 'p', fromRunId: 'r1' },
      }),
    ).rejects.toThrow(/does not exist/);
  });
});

describe('forkWorkspace', () => {
  it('copies .git, history, uncommitted, untracked and ignored files, modes and symlinks — independently', async () => {
    const { path: from } = await prepareWorkspace({
      dataDir,
      projectId: 'p',
      runId: 'r1',
      request: { kind: 'new' },
    });
    writeFileSync(join(from, 'tracked.txt'), 'v1\n');
    writeFileSync(join(from, '.gitignore'), 'ignored.log\n');
    writeFileSync(join(from, 'run.sh'), '#!/bin/sh\necho hi\n');
    chmodSync(join(from, 'run.sh'), 0o755);
    git(from, 'add', '.');
    git(from, 'commit', '-qm', 'second');
    writeFileSync(join(from, 'tracked.txt'), 'v2 uncommitted\n');
    writeFileSync(join(from, 'untracked.txt'), 'new\n');
    writeFileSync(join(from, 'ignored.log'), 'log\n');
    symlinkSync('tracked.txt', join(from, 'link'));
    mkdirSync(join(from, 'deep/er'), { recursive: true });
    writeFileSync(join(from, 'deep/er/file name ü.txt'), 'x\n');

    const to = workspacePath(dataDir, 'p', 'r2');
    await forkWorkspace(from, to);

    expect(git(to, 'log', '--format=%H')).toBe(git(from, 'log', '--format=%H'));
    expect(git(to, 'status', '--porcelain')).toBe(git(from, 'status', '--porcelain'));
    expect(readFileSync(join(to, 'tracked.txt'), 'utf8')).toBe('v2 uncommitted\n');
    expect(readFileSync(join(to, 'untracked.txt'), 'utf8')).toBe('new\n');
    expect(readFileSync(join(to, 'ignored.log'), 'utf8')).toBe('log\n');
    expect(readFileSync(join(to, 'deep/er/file name ü.txt'), 'utf8')).toBe('x\n');
    expect(lstatSync(join(to, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(lstatSync(join(to, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(to, 'link'))).toBe('tracked.txt');

    // Independent: changes and commits in the fork leave the original as it was.
    writeFileSync(join(to, 'tracked.txt'), 'changed in fork\n');
    git(to, 'add', '-A');
    git(to, 'commit', '-qm', 'fork only');
    git(to, 'gc', '-q', '--prune=now');
    expect(readFileSync(join(from, 'tracked.txt'), 'utf8')).toBe('v2 uncommitted\n');
    expect(git(from, 'log', '--format=%s')).toBe('second\nWorkspace created by Retrace');
    expect(git(from, 'fsck', '--no-dangling')).toBe('');
  });

  it('copies a tree held in one folder piece by piece, modes and times of every folder kept', async () => {
    const from = join(dataDir, 'from');
    const past = new Date('2024-05-01T12:00:00Z');
    for (let d = 0; d < 30; d++)
      for (let f = 0; f < 20; f++) {
        mkdirSync(join(from, 'src', `dir${d}`), { recursive: true });
        writeFileSync(join(from, 'src', `dir${d}`, `file${f}.txt`), `${d}/${f}\n`);
      }
    mkdirSync(join(from, 'src/dir0/a/b/c/d/e'), { recursive: true });
    writeFileSync(join(from, 'src/dir0/a/b/c/d/e/deep.txt'), 'deep\n');
    writeFileSync(join(from, 'src/dir1/secret.txt'), 'mine\n', { mode: 0o600 });
    symlinkSync('dir2', join(from, 'src/to-dir2'));
    mkdirSync(join(from, 'src/private'), { mode: 0o700 });
    mkdirSync(join(from, 'src/locked'));
    writeFileSync(join(from, 'src/locked/kept.txt'), 'kept\n');
    chmodSync(join(from, 'src/locked'), 0o555);
    // Times last, deepest first: writing into a folder moves its own.
    for (const path of tree(from).reverse())
      if (path !== 'src/to-dir2') utimesSync(join(from, path), past, past);

    const to = join(dataDir, 'to');
    await forkWorkspace(from, to);

    const describe = (root: string) =>
      tree(root).map((path) => {
        const info = lstatSync(join(root, path));
        const kind = info.isSymbolicLink()
          ? `link:${readlinkSync(join(root, path))}`
          : info.isDirectory()
            ? 'dir'
            : readFileSync(join(root, path), 'utf8');
        return `${path} ${kind} ${(info.mode & 0o7777).toString(8)} ${info.isSymbolicLink() ? '' : info.mtimeMs}`;
      });
    expect(describe(to)).toEqual(describe(from));
    expect(describe(to)).toContain(`src/locked dir 555 ${past.getTime()}`);
    chmodSync(join(from, 'src/locked'), 0o755);
    chmodSync(join(to, 'src/locked'), 0o755);
  });

  it('refuses to overwrite an existing folder', async () => {
    const { path: from } = await prepareWorkspace({
      dataDir,
      projectId: 'p',
      runId: 'r1',
      request: { kind: 'new' },
    });
    const { path: to } = await prepareWorkspace({
      dataDir,
      projectId: 'p',
      runId: 'r2',
      request: { kind: 'new' },
    });
    await expect(forkWorkspace(from, to)).rejects.toThrow(/already exists/);
  });
});
