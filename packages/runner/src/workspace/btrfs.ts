import { lstat, statfs } from 'node:fs/promises';
import { execa } from 'execa';

const BTRFS_SUPER_MAGIC = 0x9123683e;
/** The inode number of every subvolume's root folder (BTRFS_FIRST_FREE_OBJECTID). */
const SUBVOLUME_ROOT_INODE = 256;

/** Whether a folder lives on btrfs: one statfs call, no process. */
export async function onBtrfs(path: string): Promise<boolean> {
  const info = await statfs(path).catch(() => null);
  return info?.type === BTRFS_SUPER_MAGIC;
}

/** Whether a folder is the root of a btrfs subvolume (and so can be snapshotted). */
export async function isSubvolume(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => null);
  return info?.isDirectory() === true && info.ino === SUBVOLUME_ROOT_INODE && (await onBtrfs(path));
}

// Each of these says whether it worked: the callers fall back to plain folders and copies
// when btrfs-progs is missing, the file system refuses, or the user may not.
const btrfs = async (args: string[]) =>
  (await execa('btrfs', args, { reject: false, stdin: 'ignore' })).exitCode === 0;

/** A new, empty subvolume at `path` (which must not exist), as `mkdir` would make a folder. */
export const createSubvolume = (path: string) => btrfs(['subvolume', 'create', path]);

/**
 * A writable snapshot of the subvolume `from` at `to` (which must not exist; an existing
 * folder would receive the snapshot inside it). Near O(1): the two share every block until
 * one of them writes, and a write in either never shows in the other.
 */
export const snapshotSubvolume = (from: string, to: string) => btrfs(['subvolume', 'snapshot', from, to]);

/**
 * Deletes a subvolume at once, whatever it holds. Root may; another user only on a file
 * system mounted with `user_subvol_rm_allowed` — elsewhere the caller deletes its files and
 * then the empty subvolume with rmdir, which its owner may do since Linux 4.18.
 */
export const deleteSubvolume = (path: string) => btrfs(['subvolume', 'delete', path]);
