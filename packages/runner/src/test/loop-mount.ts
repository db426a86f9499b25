import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type LoopFileSystem = 'btrfs' | 'xfs';

/** What making the file system needs besides root: its mkfs, and btrfs-progs' `btrfs` for btrfs. */
const TOOLS: Record<LoopFileSystem, string[]> = {
  btrfs: ['mkfs.btrfs', 'btrfs'],
  xfs: ['mkfs.xfs'],
};
/** Sparse: the image takes only what is written. mkfs.xfs refuses less than 300 MB. */
const IMAGE_BYTES = 512 * 1024 * 1024;

const onPath = (tool: string) =>
  (process.env.PATH ?? '')
    .split(':')
    .concat('/usr/sbin', '/sbin')
    .some((dir) => existsSync(join(dir, tool)));

/** Why a loop-mounted file system of this kind cannot be made here, or null when it can. */
export function loopMountUnavailable(fileSystem: LoopFileSystem): string | null {
  if (process.getuid?.() !== 0) return 'loop mounts need root';
  const missing = TOOLS[fileSystem].filter((tool) => !onPath(tool));
  if (missing.length > 0) return `${missing.join(', ')} not installed`;
  if (!existsSync('/dev/loop-control')) return 'no /dev/loop-control (loop devices)';
  return null;
}

/**
 * CI must run the tests of every file system, never skip them: there, a file system that
 * cannot be made fails the test file with the reason. Elsewhere it is skipped, with the reason.
 */
export function loopMountSkipReason(fileSystem: LoopFileSystem): string | null {
  const reason = loopMountUnavailable(fileSystem);
  if (reason && process.env.CI === 'true')
    throw new Error(`CI runs the ${fileSystem} tests but cannot make a ${fileSystem} loop mount: ${reason}`);
  return reason;
}

export interface LoopMount {
  /** The mounted file system's root folder. */
  path: string;
  /** Unmounts it and deletes the image. */
  remove(): void;
}

const run = (command: string, ...args: string[]) =>
  execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

/** A fresh file system in a sparse image file of `bytes`, loop-mounted in a temp folder. */
export function mountLoopImage(fileSystem: LoopFileSystem, bytes = IMAGE_BYTES): LoopMount {
  const base = mkdtempSync(join(tmpdir(), `retrace-${fileSystem}-`));
  const image = join(base, 'image');
  const path = join(base, 'mnt');
  mkdirSync(path);
  // Tests may work in it as another user.
  chmodSync(base, 0o755);
  let mounted = false;
  const remove = () => {
    if (mounted) {
      try {
        run('umount', path);
      } catch {
        // Something still open in it (a test's process): detach now, freed when it closes.
        run('umount', '-l', path);
      }
      mounted = false;
    }
    rmSync(base, { recursive: true, force: true });
  };
  try {
    run('truncate', '-s', String(bytes), image);
    if (fileSystem === 'btrfs') run('mkfs.btrfs', '-q', image);
    else run('mkfs.xfs', '-q', '-m', 'reflink=1', image);
    run('mount', '-o', 'loop', image, path);
    mounted = true;
    return { path, remove };
  } catch (error) {
    remove();
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`could not make a ${fileSystem} loop mount${stderr ? `: ${stderr}` : ''}`, {
      cause: error,
    });
  }
}
