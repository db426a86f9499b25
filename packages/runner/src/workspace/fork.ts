import { lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { WorkspaceError } from './paths';

/**
 * Splits entries into `n` groups of about equal size (largest first into the lightest group).
 * Sizes come from `du` (apparent bytes, plus 16 KB a file: creating a file costs more than
 * its bytes); stat-ing every file from JavaScript cost more than the balance saved.
 */
async function balance(root: string, names: string[], n: number): Promise<string[][]> {
  if (n <= 1 || names.length <= 1) return [names];
  const [bytes, files] = await Promise.all([
    sizes(root, names, ['--apparent-size', '-B1']),
    sizes(root, names, ['--inodes']),
  ]);
  const groups = Array.from({ length: n }, () => ({ names: [] as string[], size: 0 }));
  const sized = names.map((name) => ({
    name,
    size: (bytes.get(name) ?? 0) + (files.get(name) ?? 1) * 16_384,
  }));
  for (const entry of sized.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1))) {
    const lightest = groups.reduce((a, b) => (b.size < a.size ? b : a));
    lightest.names.push(entry.name);
    lightest.size += entry.size;
  }
  return groups.map((g) => g.names).filter((g) => g.length > 0);
}

/** `du -s` of each entry (names passed after `--`, relative to root). */
async function sizes(root: string, names: string[], flags: string[]): Promise<Map<string, number>> {
  const du = await execa('du', ['-s', ...flags, '--', ...names], { cwd: root, reject: false });
  const found = new Map<string, number>();
  for (const line of String(du.stdout).split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) found.set(line.slice(tab + 1), Number(line.slice(0, tab)));
  }
  return found;
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
