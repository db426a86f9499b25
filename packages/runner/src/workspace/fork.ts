import { lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { WorkspaceError } from './paths';

/** Splits entries into `n` groups of about equal size (largest first into the lightest group). */
async function balance(root: string, names: string[], n: number): Promise<string[][]> {
  const sized = await Promise.all(
    names.map(async (name) => {
      const info = await lstat(join(root, name));
      return { name, size: info.isDirectory() ? await folderSize(join(root, name)) : info.size };
    }),
  );
  const groups = Array.from({ length: n }, () => ({ names: [] as string[], size: 0 }));
  for (const entry of sized.sort((a, b) => b.size - a.size)) {
    const lightest = groups.reduce((a, b) => (b.size < a.size ? b : a));
    lightest.names.push(entry.name);
    lightest.size += entry.size;
  }
  return groups.map((g) => g.names).filter((g) => g.length > 0);
}

/** Approximate bytes under a folder (file sizes only), to split the copy evenly. */
async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

const copy = (sources: string[], into: string) => execa('cp', ['-a', '--reflink=auto', ...sources, into]);

/**
 * An exact copy of a workspace: `.git` with its history, uncommitted, untracked and ignored
 * files, modes and symlinks. Git's object files never change once written, so the copy
 * hardlinks them instead of copying (the bulk of a repository with history); everything
 * else is copied by `cp -a` (copy-on-write where the file system can), split across
 * processes so large trees copy in parallel. Writing in either copy never changes the other.
 */
export async function forkWorkspace(from: string, to: string): Promise<void> {
  const source = await stat(from).catch(() => null);
  if (!source?.isDirectory())
    throw new WorkspaceError(`cannot continue from ${from}: that workspace does not exist`);
  if (await stat(to).catch(() => null)) throw new WorkspaceError(`cannot fork into ${to}: it already exists`);
  await mkdir(to, { recursive: true });
  const entries = await readdir(from);
  const work = entries.filter((name) => name !== '.git');
  const jobs: Array<Promise<unknown>> = [];

  const dotGit = await lstat(join(from, '.git')).catch(() => null);
  if (dotGit?.isDirectory()) {
    await mkdir(join(to, '.git'));
    const gitEntries = (await readdir(join(from, '.git'))).filter((name) => name !== 'objects');
    if (gitEntries.length > 0)
      jobs.push(
        copy(
          gitEntries.map((name) => join(from, '.git', name)),
          join(to, '.git'),
        ),
      );
    if (await stat(join(from, '.git', 'objects')).catch(() => null)) {
      jobs.push(execa('cp', ['-al', join(from, '.git', 'objects'), join(to, '.git')]));
    }
  } else if (dotGit) {
    work.push('.git');
  }

  const parallel = Math.max(1, Math.min(4, cpus().length));
  for (const group of await balance(from, work, parallel)) {
    jobs.push(
      copy(
        group.map((name) => join(from, name)),
        to,
      ),
    );
  }
  await Promise.all(jobs);
  // The copy's directory keeps the source's mode, like cp -a of the whole tree would.
  await execa('chmod', [(source.mode & 0o7777).toString(8), to]);
}
