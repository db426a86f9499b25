import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ForkStrategy,
  forkWorkspace,
  loopMountUnavailable,
  mountLoopImage,
  prepareWorkspace,
} from '@retrace/runner/bench';
import { execa } from 'execa';
import { type Figure, figure, spread } from './stats';

const FILES = Number(process.env.BENCH_FORK_FILES ?? 20_000);
const TOTAL_BYTES = (FILES / 20_000) * 300 * 1024 * 1024;
/** One `cp -a` per core for the split copy, and never fewer than two. */
const SPLIT_PROCESSES = Math.max(2, cpus().length);

// No automatic gc: a detached gc repacking while the tree is copied would change it mid-copy.
const git = (cwd: string, ...args: string[]) =>
  execa(
    'git',
    [
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@localhost',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'gc.auto=0',
      ...args,
    ],
    { cwd },
  );

/**
 * A repository of 20,000 files (~300 MB) with history, uncommitted changes and untracked
 * files, in a new workspace made as the runner makes one (a subvolume on btrfs).
 */
async function generateRepository(dataDir: string): Promise<string> {
  const { path: root } = await prepareWorkspace({
    dataDir,
    projectId: 'bench',
    runId: 'source',
    request: { kind: 'new' },
  });
  const size = Math.floor(TOTAL_BYTES / FILES);
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, `pkg${i % 40}`, `mod${i % 25}`);
    mkdirSync(dir, { recursive: true });
    // Half text, half random bytes: a repository is not all compressible.
    const body =
      i % 2 ? randomBytes(size) : Buffer.from(`// file ${i}\n${'const x = 1;\n'.repeat(size / 13)}`);
    writeFileSync(join(dir, `file${i}.${i % 2 ? 'bin' : 'ts'}`), body);
  }
  await git(root, 'add', '-A');
  await git(root, 'commit', '-qm', 'first');
  // Like most repositories: history in a pack, recent work in loose objects.
  await git(root, 'gc', '-q');
  for (let i = 0; i < FILES; i += 20)
    writeFileSync(join(root, `pkg${i % 40}`, `mod${i % 25}`, `file${i}.ts`), `// changed ${i}\n`);
  await git(root, 'commit', '-qam', 'second');
  // Uncommitted and untracked work.
  for (let i = 2; i < FILES; i += 40)
    writeFileSync(join(root, `pkg${i % 40}`, `mod${i % 25}`, `file${i}.ts`), `// dirty ${i}\n`);
  for (let i = 0; i < 200; i++) writeFileSync(join(root, `untracked-${i}.txt`), randomBytes(4096));
  return root;
}

/** Names, types, modes, times, sizes, link targets and a hash of every byte: identical or not. */
async function fingerprint(dir: string): Promise<string> {
  // Directory sizes depend on a folder's history, not its content: sizes of files only.
  const listing = await execa(
    'sh',
    [
      '-c',
      "{ find . -printf '%P %y %m %l %T@\\n'; find . -type f -printf '%P %s\\n'; } | LC_ALL=C sort | sha256sum",
    ],
    { cwd: dir },
  );
  const content = await execa(
    'sh',
    ['-c', 'find . -type f -print0 | LC_ALL=C sort -z | xargs -0 cat | sha256sum'],
    { cwd: dir },
  );
  return `${String(listing.stdout).split(' ')[0]}:${String(content.stdout).split(' ')[0]}`;
}

async function timed(task: () => Promise<unknown>): Promise<number> {
  await execa('sync');
  const start = performance.now();
  await task();
  return performance.now() - start;
}

/**
 * The copy split over the cores and nothing else: the tree's top-level entries dealt in
 * turn to one `cp -a` per core, all at once. File creation and byte copying are the
 * kernel's work; this says how far this machine's cores share it.
 */
async function splitCopy(source: string, to: string): Promise<void> {
  mkdirSync(to);
  const parts: string[][] = Array.from({ length: SPLIT_PROCESSES }, () => []);
  for (const [i, name] of readdirSync(source).entries()) parts[i % parts.length]?.push(join(source, name));
  await Promise.all(parts.map((names) => execa('cp', ['-a', '-t', to, '--', ...names])));
  await execa('touch', ['-r', source, to]);
  await execa('chmod', ['--reference', source, to]);
}

/**
 * forkWorkspace and cp -a of one tree in turns (and, `withSplit`, the split cp -a), each
 * copy verified identical. Copies are deleted only at the end: deleting 20,000 files (with
 * discard on this file system) slows whatever is timed next for seconds, which is also why
 * an untimed copy goes first (the tree's generation deleted its loose objects).
 */
async function measure(source: string, base: string, label: string, rounds: number, withSplit = false) {
  const expected = await fingerprint(source);
  const check = async (to: string, what: string) => {
    if ((await fingerprint(to)) !== expected) throw new Error(`${what} differs from its source (${label})`);
  };
  await execa('cp', ['-a', source, join(base, `${label}-warm-up`)]);
  const forks: number[] = [];
  const copies: number[] = [];
  const splits: number[] = [];
  const strategies = new Set<ForkStrategy>();
  for (let i = 0; i < rounds; i++) {
    const fork = async () => {
      const to = join(base, `${label}-fork-${i}`);
      forks.push(await timed(async () => strategies.add(await forkWorkspace(source, to))));
      await check(to, 'the fork');
    };
    const copy = async () => {
      const to = join(base, `${label}-copy-${i}`);
      copies.push(await timed(() => execa('cp', ['-a', source, to])));
      await check(to, 'cp -a');
    };
    const split = async () => {
      const to = join(base, `${label}-split-${i}`);
      splits.push(await timed(() => splitCopy(source, to)));
      await check(to, 'the split cp -a');
    };
    // Each goes first in some rounds, last in others.
    const tasks = withSplit ? [fork, copy, split] : [fork, copy];
    for (let at = 0; at < tasks.length; at++) await tasks[(at + i) % tasks.length]?.();
  }
  return {
    forks: spread(forks),
    copies: spread(copies),
    splits: spread(splits),
    strategies: [...strategies].join(', '),
  };
}

/** Both layouts of the tree on the file system of `folder`, the copies deleted after. */
async function benchForkIn(
  folder: string,
  main: boolean,
  origin = 'from RETRACE_BENCH_FORK_DIRS',
): Promise<Figure[]> {
  const base = mkdtempSync(join(folder, 'retrace-bench-fork-'));
  try {
    const source = await generateRepository(join(base, 'data'));
    const du = await execa('du', ['-sm', source]);
    const megabytes = String(du.stdout).split('\t')[0];
    // Copying is the file system's work: ext4 copies every byte, XFS and btrfs can clone
    // (reflink), and so does cp -a itself (coreutils ≥ 9 defaults to --reflink=auto); btrfs
    // can also snapshot a subvolume, as the runner makes workspaces there.
    const fileSystem = String((await execa('df', ['--output=fstype', base])).stdout)
      .split('\n')
      .at(-1)
      ?.trim();
    const flat = await measure(source, base, 'flat', 5, true);
    // The same tree with everything in one folder, as many repositories keep it (src/, or
    // node_modules/ beside a few files): a copy split by top-level entries has one piece.
    mkdirSync(join(source, 'src'));
    for (const name of readdirSync(source))
      if (name.startsWith('pkg')) renameSync(join(source, name), join(source, 'src', name));
    const nested = await measure(source, base, 'nested', 3);
    const target = {
      text: '≤ 0.5 of cp -a',
      met: (_v: unknown, ratio: number | null) => (ratio ?? 1) <= 0.5,
    };
    const where = main ? 'RETRACE_BENCH_DIR picks the folder' : `${folder}, ${origin}`;
    const note = (strategies: string) =>
      `on ${fileSystem} (${where}); forkWorkspace made a ${strategies}; every copy verified identical (names, types, modes, times, sizes, links, content)`;
    // Rows of the extra folders say their file system in the metric too: the table has no note column.
    const on = main ? '' : `, on ${fileSystem}`;
    return [
      figure(
        'Workspace fork',
        `${FILES} files, ${megabytes} MB with .git${on}`,
        'ms',
        flat.forks,
        { label: 'cp -a', value: flat.copies },
        target,
        note(flat.strategies),
      ),
      figure(
        'Workspace fork',
        `cp -a of those files split over ${SPLIT_PROCESSES} processes at once${on}`,
        'ms',
        flat.splits,
        { label: 'cp -a', value: flat.copies },
        null,
        "what splitting the copy over this machine's cores gives alone: where the fork copies, it also splits, and hardlinks .git's objects besides",
      ),
      figure(
        'Workspace fork',
        `the same files inside one folder (src/)${on}`,
        'ms',
        nested.forks,
        { label: 'cp -a', value: nested.copies },
        target,
        note(nested.strategies),
      ),
    ];
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** The tree, its copies and the fork's: reflinked copies share its blocks, metadata does not. */
const LOOP_IMAGE_BYTES = 8 * 1024 ** 3;

/**
 * The fork on the folder of RETRACE_BENCH_DIR (the temp dir by default), then on each
 * folder of RETRACE_BENCH_FORK_DIRS (colon-separated: XFS or btrfs mounts, say), a pair of
 * rows each. Without RETRACE_BENCH_FORK_DIRS, on a loop-mounted XFS (reflink) and btrfs
 * (snapshots) where this machine can make one (root, mkfs, loop devices), each in a sparse
 * image deleted after; where it cannot, it says why.
 */
export async function benchFork(): Promise<Figure[]> {
  const figures = await benchForkIn(process.env.RETRACE_BENCH_DIR ?? tmpdir(), true);
  const folders = (process.env.RETRACE_BENCH_FORK_DIRS ?? '').split(':').filter(Boolean);
  for (const folder of folders) figures.push(...(await benchForkIn(folder, false)));
  if (folders.length > 0) return figures;
  for (const fileSystem of ['xfs', 'btrfs'] as const) {
    const unavailable = loopMountUnavailable(fileSystem);
    if (unavailable) {
      process.stdout.write(`(the fork on a loop-mounted ${fileSystem} is not measured: ${unavailable}) `);
      continue;
    }
    const mount = mountLoopImage(fileSystem, LOOP_IMAGE_BYTES);
    try {
      figures.push(...(await benchForkIn(mount.path, false, 'a sparse loop-mounted image the bench made')));
    } finally {
      mount.remove();
    }
  }
  return figures;
}
