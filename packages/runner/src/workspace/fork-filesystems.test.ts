import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statfsSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopFileSystem, type LoopMount, loopMountSkipReason, mountLoopImage } from '../test/loop-mount';
import { forkWorkspace, prepareWorkspace, workspacePath } from './index';
import { removeWorkspaces } from './remove';

// The fork's strategies on the file systems that clone: each suite makes its own file system
// in a loop-mounted image (root only; CI must, see loopMountSkipReason). ext4's copy is
// tested in workspace.test.ts.

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'gc.auto=0', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

/** Every entry of a tree with its type, mode, time (ns), link target and a hash of its bytes. */
function fingerprint(root: string, at = ''): string[] {
  const info = lstatSync(join(root, at), { bigint: true });
  const kind = info.isSymbolicLink()
    ? `link:${readlinkSync(join(root, at))}`
    : info.isDirectory()
      ? 'dir'
      : createHash('sha256')
          .update(readFileSync(join(root, at)))
          .digest('hex');
  const line = `${at || '.'} ${kind} ${(info.mode & 0o7777n).toString(8)} ${info.isSymbolicLink() ? '' : info.mtimeNs}`;
  if (!info.isDirectory()) return [line];
  const names = readdirSync(join(root, at)).sort();
  return [line, ...names.flatMap((name) => fingerprint(root, at ? `${at}/${name}` : name))];
}

/** A btrfs subvolume's root folder has inode 256, and a device number of its own. */
const isSubvolumeRoot = (path: string) => lstatSync(path).ino === 256;

/** A workspace as a run leaves it: history, uncommitted and untracked work, odd modes, a link, old times. */
async function finishedWorkspace(dataDir: string, runId: string, bigFile = 0): Promise<string> {
  const { path } = await prepareWorkspace({ dataDir, projectId: 'p', runId, request: { kind: 'new' } });
  writeFileSync(join(path, 'tracked.txt'), 'v1\n');
  writeFileSync(join(path, '.gitignore'), '*.bin\n');
  mkdirSync(join(path, 'src/deep'), { recursive: true });
  for (let i = 0; i < 50; i++) writeFileSync(join(path, 'src', `file${i}.ts`), `export const n = ${i};\n`);
  git(path, 'add', '-A');
  git(path, 'commit', '-qm', 'second');
  writeFileSync(join(path, 'tracked.txt'), 'v2 uncommitted\n');
  writeFileSync(join(path, 'src/deep/untracked ü.txt'), 'new\n', { mode: 0o600 });
  if (bigFile > 0) writeFileSync(join(path, 'big.bin'), randomBytes(bigFile));
  symlinkSync('tracked.txt', join(path, 'link'));
  mkdirSync(join(path, 'locked'));
  writeFileSync(join(path, 'locked/kept.txt'), 'kept\n');
  chmodSync(join(path, 'locked'), 0o555);
  const past = new Date('2024-05-01T12:00:00Z');
  for (const folder of ['src/deep', 'src', 'locked', '']) utimesSync(join(path, folder), past, past);
  return path;
}

/** One of a repository's loose object files, relative to the workspace. */
function looseObject(root: string): string {
  const folder = readdirSync(join(root, '.git/objects')).find((name) => /^[0-9a-f]{2}$/.test(name)) ?? '';
  return `.git/objects/${folder}/${readdirSync(join(root, '.git/objects', folder))[0]}`;
}

/** Writes and commits in `to` leave `from` as it was, and the other way round. */
function expectIndependent(from: string, to: string): void {
  // Hardlinked object files share their inode: git freshening an object's time in one
  // workspace shows in the other. Their bytes never change.
  const content = (root: string) =>
    fingerprint(root).map((line) => (line.startsWith('.git/objects/') ? line.replace(/ \d+$/, '') : line));
  const before = content(from);
  writeFileSync(join(to, 'tracked.txt'), 'changed in the fork\n');
  writeFileSync(join(to, 'src/file1.ts'), 'fork\n');
  git(to, 'add', '-A');
  git(to, 'commit', '-qm', 'fork only');
  git(to, 'gc', '-q', '--prune=now');
  expect(content(from)).toEqual(before);
  expect(git(from, 'log', '--format=%s')).toBe('second\nWorkspace created by Retrace');
  expect(git(from, 'fsck', '--no-dangling')).toBe('');
  writeFileSync(join(from, 'src/file2.ts'), 'source\n');
  expect(readFileSync(join(to, 'src/file2.ts'), 'utf8')).toBe('export const n = 2;\n');
  expect(git(to, 'log', '-1', '--format=%s')).toBe('fork only');
}

/** Before the suite's tests: a fresh file system of this kind with a data dir on it; removed after. */
function useLoopMount(fileSystem: LoopFileSystem, ready: (root: string, dataDir: string) => void): void {
  let mount: LoopMount | undefined;
  beforeAll(() => {
    mount = mountLoopImage(fileSystem);
    const dataDir = join(mount.path, 'data');
    mkdirSync(dataDir);
    ready(mount.path, dataDir);
  });
  afterAll(() => mount?.remove());
}

/** Lets a test delete the data dir whatever a workspace made read-only. */
const unlock = (...paths: string[]) => {
  for (const path of paths) if (existsSync(join(path, 'locked'))) chmodSync(join(path, 'locked'), 0o755);
};

const btrfsSkip = loopMountSkipReason('btrfs');
describe.skipIf(btrfsSkip !== null)(`on btrfs${btrfsSkip ? ` (skipped: ${btrfsSkip})` : ''}`, () => {
  let mounted = '';
  let dataDir = '';
  useLoopMount('btrfs', (path, data) => {
    mounted = path;
    dataDir = data;
  });

  it('makes new and cloned workspaces as subvolumes', async () => {
    const fresh = await prepareWorkspace({ dataDir, projectId: 'p', runId: 'new', request: { kind: 'new' } });
    expect(isSubvolumeRoot(fresh.path)).toBe(true);
    expect(git(fresh.path, 'rev-list', '--count', 'HEAD')).toBe('1');
    const clone = await prepareWorkspace({
      dataDir,
      projectId: 'p',
      runId: 'clone',
      request: { kind: 'clone', source: fresh.path },
    });
    expect(isSubvolumeRoot(clone.path)).toBe(true);
    expect(git(clone.path, 'rev-parse', 'HEAD')).toBe(fresh.base.commit);
    // A clone that fails leaves no subvolume behind.
    await expect(
      prepareWorkspace({
        dataDir,
        projectId: 'p',
        runId: 'bad-clone',
        request: { kind: 'clone', source: join(dataDir, 'nope') },
      }),
    ).rejects.toThrow(/could not clone/);
    expect(existsSync(workspacePath(dataDir, 'p', 'bad-clone'))).toBe(false);
  });

  it('forks a subvolume by a snapshot: an exact copy, a subvolume itself, independent of its source', async () => {
    const from = await finishedWorkspace(dataDir, 'snap-from');
    const to = workspacePath(dataDir, 'p', 'snap-to');
    expect(await forkWorkspace(from, to)).toBe('snapshot');
    expect(isSubvolumeRoot(to)).toBe(true);
    expect(lstatSync(to).dev).not.toBe(lstatSync(from).dev);
    expect(fingerprint(to)).toEqual(fingerprint(from));
    expect(git(to, 'status', '--porcelain')).toBe(git(from, 'status', '--porcelain'));
    expectIndependent(from, to);
    // A fork of the fork is a snapshot too.
    expect(await forkWorkspace(to, workspacePath(dataDir, 'p', 'snap-again'))).toBe('snapshot');
    unlock(from, to, workspacePath(dataDir, 'p', 'snap-again'));
  });

  it('forks through prepareWorkspace by a snapshot', async () => {
    const from = await finishedWorkspace(dataDir, 'prep-from');
    const fork = await prepareWorkspace({
      dataDir,
      projectId: 'p',
      runId: 'prep-to',
      request: { kind: 'fork', fromProjectId: 'p', fromRunId: 'prep-from' },
    });
    expect(isSubvolumeRoot(fork.path)).toBe(true);
    expect(fork.base.commit).toBe(git(from, 'rev-parse', 'HEAD'));
    expect(git(fork.path, 'status', '--porcelain')).toBe(git(from, 'status', '--porcelain'));
    unlock(from, fork.path);
  });

  it('copies a plain folder (a workspace made before), objects hardlinked, and a subvolume onto another file system', async () => {
    const plain = join(dataDir, 'workspaces', 'p', 'plain');
    const made = await finishedWorkspace(dataDir, 'plain-source');
    // A copy of the subvolume's files into a plain folder, as workspaces were made before.
    execFileSync('cp', ['-a', made, plain]);
    const to = join(dataDir, 'workspaces', 'p', 'plain-fork');
    expect(await forkWorkspace(plain, to)).toBe('copy');
    expect(isSubvolumeRoot(to)).toBe(false);
    expect(fingerprint(to)).toEqual(fingerprint(plain));
    const object = looseObject(plain);
    expect(lstatSync(join(to, object)).ino).toBe(lstatSync(join(plain, object)).ino);
    expectIndependent(plain, to);

    // No snapshot and no hardlink across file systems: a copy of every file.
    const elsewhere = mkdtempSync(join(tmpdir(), 'retrace-elsewhere-'));
    try {
      const far = join(elsewhere, 'fork');
      expect(await forkWorkspace(made, far)).toBe('copy');
      expect(fingerprint(far)).toEqual(fingerprint(made));
      expectIndependent(made, far);
      unlock(far);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    unlock(made, plain, to);
  });

  it('removes subvolume workspaces, read-only folders inside them too, as root and as their non-root owner', async () => {
    const one = await finishedWorkspace(dataDir, 'rm-one');
    const fork = workspacePath(dataDir, 'p', 'rm-fork');
    expect(await forkWorkspace(one, fork)).toBe('snapshot');
    const inUse = () => null;
    const refuse = () => new Error('refused');
    expect(
      await removeWorkspaces(dataDir, { projectId: 'p', runIds: ['rm-one', 'rm-fork'] }, inUse, refuse),
    ).toEqual({ removed: 2 });
    expect(existsSync(one)).toBe(false);
    expect(existsSync(fork)).toBe(false);
    expect(execFileSync('btrfs', ['subvolume', 'list', mounted], { encoding: 'utf8' })).not.toMatch(
      /rm-(one|fork)/,
    );

    // A runner that is not root may not delete a subvolume (EPERM without
    // user_subvol_rm_allowed): its files go one by one, then rmdir deletes the empty one.
    const owned = mkdtempSync(join(mounted, 'owned-'));
    const nobody = 65534;
    chownSync(owned, nobody, nobody);
    const ownedData = join(owned, 'data');
    const script = `
      import { prepareWorkspace, forkWorkspace, workspacePath } from './index';
      import { removeWorkspaces } from './remove';
      const dataDir = ${JSON.stringify(ownedData)};
      const { path } = await prepareWorkspace({ dataDir, projectId: 'q', runId: 'a', request: { kind: 'new' } });
      const { mkdirSync, writeFileSync, chmodSync } = await import('node:fs');
      mkdirSync(path + '/cache/mod', { recursive: true });
      writeFileSync(path + '/cache/mod/file.txt', 'x');
      chmodSync(path + '/cache/mod', 0o555);
      const strategy = await forkWorkspace(path, workspacePath(dataDir, 'q', 'b'));
      const { lstatSync } = await import('node:fs');
      const subvolumes = [path, workspacePath(dataDir, 'q', 'b')].map((p) => lstatSync(p).ino === 256);
      const result = await removeWorkspaces(dataDir, { projectId: 'q' }, () => null, () => new Error('refused'));
      console.log(JSON.stringify({ strategy, subvolumes, result }));
    `;
    const out = execFileSync(
      'setpriv',
      [
        `--reuid=${nobody}`,
        `--regid=${nobody}`,
        '--clear-groups',
        'node',
        '--import',
        'tsx',
        '--input-type=module',
      ],
      {
        cwd: dirname(new URL(import.meta.url).pathname),
        input: script,
        encoding: 'utf8',
        env: { ...process.env, HOME: owned },
      },
    );
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '')).toEqual({
      strategy: 'snapshot',
      subvolumes: [true, true],
      result: { removed: 2 },
    });
    expect(readdirSync(join(ownedData, 'workspaces'))).toEqual([]);
  });
});

const xfsSkip = loopMountSkipReason('xfs');
describe.skipIf(xfsSkip !== null)(`on XFS with reflink${xfsSkip ? ` (skipped: ${xfsSkip})` : ''}`, () => {
  let mounted = '';
  let dataDir = '';
  useLoopMount('xfs', (path, data) => {
    mounted = path;
    dataDir = data;
  });

  it('forks by a copy that clones the bytes: exact, independent, and taking almost no space', async () => {
    const big = 64 * 1024 * 1024;
    const from = await finishedWorkspace(dataDir, 'from', big);
    const to = workspacePath(dataDir, 'p', 'to');
    execFileSync('sync');
    const free = () => {
      const info = statfsSync(mounted);
      return info.bfree * info.bsize;
    };
    const before = free();
    expect(await forkWorkspace(from, to)).toBe('copy');
    execFileSync('sync');
    // A byte copy would take the 64 MB file's size again.
    expect(before - free()).toBeLessThan(big / 8);
    expect(fingerprint(to)).toEqual(fingerprint(from));
    expectIndependent(from, to);
    // Writing into a shared file's blocks copies them: the source's bytes stay.
    const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const original = hash(join(from, 'big.bin'));
    execFileSync('dd', [
      'if=/dev/zero',
      `of=${join(to, 'big.bin')}`,
      'bs=1M',
      'count=4',
      'conv=notrunc',
      'status=none',
    ]);
    expect(hash(join(from, 'big.bin'))).toBe(original);
    expect(hash(join(to, 'big.bin'))).not.toBe(original);
    unlock(from, to);
  });
});
