import { chmod, lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { isSubvolume, snapshotSubvolume } from './btrfs';
import { WorkspaceError } from './paths';

/** Enough pieces that a pool of copiers stays busy to the end; few enough to spawn cheaply. */
const TARGET_PIECES = 256;
const MAX_DEPTH = 4;
/** `cp`s per copier: one that ends early takes another, so the copiers end together. */
const COPIES_PER_COPIER = 8;
/** A `cp` starts in about a millisecond: fewer pieces than this are not worth one. */
const MIN_PER_COPY = 8;

interface Split {
  /** Folders made here, not copied: parents first. */
  folders: string[];
  /** What `cp -a` copies whole, each to its own path in the copy (relative paths). */
  pieces: string[];
}

interface Entry {
  path: string;
  /** A real folder, not a link to one. */
  folder: boolean;
}

async function entriesOf(root: string, path: string): Promise<Entry[] | null> {
  const found = await readdir(join(root, path), { withFileTypes: true }).catch(() => null);
  return found?.map((entry) => ({ path: join(path, entry.name), folder: entry.isDirectory() })) ?? null;
}

/**
 * Cuts a tree into pieces for parallel copying without a size pass: folders are opened
 * into their entries, breadth first, until there are enough pieces. One huge folder (a
 * `src/` or `node_modules/` holding most files) is cut up like the rest.
 */
async function split(root: string, top: Entry[]): Promise<Split> {
  const folders: string[] = [];
  let pieces = top;
  for (let depth = 0; depth < MAX_DEPTH && pieces.length < TARGET_PIECES; depth++) {
    const next: Entry[] = [];
    const opened = folders.length;
    for (const [i, piece] of pieces.entries()) {
      // Unreadable folders are left to cp, which says what is wrong.
      const entries =
        piece.folder && next.length + (pieces.length - i) < TARGET_PIECES
          ? await entriesOf(root, piece.path)
          : null;
      if (!entries) {
        next.push(piece);
        continue;
      }
      folders.push(piece.path);
      next.push(...entries);
    }
    pieces = next;
    if (folders.length === opened) break;
  }
  return { folders, pieces: pieces.map((piece) => piece.path) };
}

/**
 * The pieces in the order that hands each `cp` a share of the big ones (folders the split
 * did not open) and of the small (files), `perCopy` at a time: enough copies that a copier
 * ending early takes another, few enough that starting them costs little.
 */
function dealt(pieces: string[], copiers: number): { order: string[]; perCopy: number } {
  const perCopy = Math.max(MIN_PER_COPY, Math.ceil(pieces.length / (copiers * COPIES_PER_COPIER)));
  const copies = Math.ceil(pieces.length / perCopy);
  const order: string[] = [];
  for (let copy = 0; copy < copies; copy++)
    for (let at = copy; at < pieces.length; at += copies) order.push(pieces[at] as string);
  return { order, perCopy };
}

/**
 * Each piece (a path relative to `from`) copied to the same path under `to`, whose folders
 * are made already (`cp --parents`, run in `from`): one `cp` takes pieces of many folders.
 * One `xargs` hands them out, dealt, to `copiers` at once, each taking the next as it ends:
 * one process spawned from here, whose own are small and quick to start.
 */
function copyAlongPaths(from: string, pieces: string[], to: string, copiers: number) {
  const { order, perCopy } = dealt(pieces, copiers);
  return execa(
    'xargs',
    [
      '-0',
      '-P',
      String(copiers),
      '-n',
      String(perCopy),
      'cp',
      '-a',
      '--reflink=auto',
      '--parents',
      '-t',
      to,
      '--',
    ],
    { cwd: from, input: `${order.join('\0')}\0` },
  );
}

/**
 * Gives made folders the source's mode and times, deepest first (writing into a folder
 * moves its time). `touch -r` keeps the nanoseconds that a JavaScript number would round.
 */
async function matchFolders(from: string, to: string, folders: string[]): Promise<void> {
  const deepestFirst = [...folders].reverse();
  for (const folder of deepestFirst)
    await chmod(join(to, folder), (await stat(join(from, folder))).mode & 0o7777);
  const pairs = deepestFirst.flatMap((folder) => [join(from, folder), join(to, folder)]);
  await execa('xargs', ['-0', '-n', '2', 'touch', '-h', '-r'], { input: `${pairs.join('\0')}\0` });
}

/** How a fork was made: a btrfs snapshot of the source subvolume, or a copy of its files. */
export type ForkStrategy = 'snapshot' | 'copy';

/**
 * The copy: Git's object files never change once written, so they are hardlinked instead
 * of copied (the bulk of a repository with history) when both sides are on one device —
 * not across file systems, nor between btrfs subvolumes, which refuse links (EXDEV).
 * Everything else is copied by `cp -a` (copy-on-write where the file system can), cut into
 * pieces that a pool of processes copies in parallel.
 */
async function copyWorkspace(from: string, to: string, sameDevice: boolean): Promise<void> {
  await mkdir(to, { recursive: true });
  const top = ((await entriesOf(from, '')) ?? []).filter((entry) => entry.path !== '.git');
  const jobs: Array<Promise<unknown>> = [];
  // The rest of .git is copied with the tree's pieces.
  let gitPieces: string[] = [];

  const dotGit = await lstat(join(from, '.git')).catch(() => null);
  if (dotGit?.isDirectory()) {
    await mkdir(join(to, '.git'));
    const linked = sameDevice && (await stat(join(from, '.git', 'objects')).catch(() => null)) !== null;
    gitPieces = (await readdir(join(from, '.git')))
      .filter((name) => !linked || name !== 'objects')
      .map((name) => join('.git', name));
    if (linked) jobs.push(execa('cp', ['-al', join(from, '.git', 'objects'), join(to, '.git')]));
  } else if (dotGit) {
    top.push({ path: '.git', folder: false });
  }

  const { folders, pieces } = await split(from, top);
  // Made writable for the copy; their own modes are set once everything is in.
  for (const folder of folders) await mkdir(join(to, folder), { mode: 0o700 });
  const all = [...gitPieces, ...pieces];
  if (all.length > 0) jobs.push(copyAlongPaths(from, all, to, Math.max(2, Math.min(4, cpus().length))));
  await Promise.all(jobs);
  // Like cp -a of the whole tree: the copy itself and its .git keep the source's too.
  await matchFolders(from, to, ['', ...(dotGit?.isDirectory() ? ['.git'] : []), ...folders]);
}

/**
 * An exact copy of a workspace: `.git` with its history, uncommitted, untracked and ignored
 * files, modes, times and symlinks. A workspace that is a btrfs subvolume (as new workspaces
 * on btrfs are made) is snapshotted, whatever its size; anything else, or a snapshot the
 * file system refuses, is copied. Writing in either copy never changes the other.
 *
 * A snapshot does not descend into subvolumes nested inside the source (they show as empty
 * folders): Retrace never makes one inside a workspace.
 */
export async function forkWorkspace(from: string, to: string): Promise<ForkStrategy> {
  const source = await stat(from).catch(() => null);
  if (!source?.isDirectory())
    throw new WorkspaceError(`cannot continue from ${from}: that workspace does not exist`);
  if (await stat(to).catch(() => null)) throw new WorkspaceError(`cannot fork into ${to}: it already exists`);
  await mkdir(dirname(to), { recursive: true });
  if ((await isSubvolume(from)) && (await snapshotSubvolume(from, to))) return 'snapshot';
  const into = await stat(dirname(to));
  await copyWorkspace(from, to, into.dev === source.dev);
  return 'copy';
}
