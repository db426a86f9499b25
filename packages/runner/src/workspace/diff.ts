import { randomBytes } from 'node:crypto';
import { copyFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiffFile, DiffFileStatus, WorkspaceDiff } from '@retrace/protocol';
import { git, gitText } from './git';

export interface DiffLimits {
  /** A file's patch is cut after this many characters. */
  filePatchChars: number;
  /** All patches together are cut after this many characters. */
  totalPatchChars: number;
}

export const DEFAULT_DIFF_LIMITS: DiffLimits = { filePatchChars: 200_000, totalPatchChars: 2_000_000 };

/**
 * The workspace as it is now, uncommitted and untracked files included (ignored files not),
 * as a git tree. Written through a temporary index: the real index and HEAD are untouched.
 */
export async function snapshotTree(workspace: string): Promise<string> {
  const gitDir = await gitDirOf(workspace);
  const index = join(gitDir, `retrace-index-${randomBytes(6).toString('hex')}`);
  try {
    // Starting from the real index lets git skip files whose stat data has not changed.
    await copyFile(join(gitDir, 'index'), index).catch(() => undefined);
    const env = { GIT_INDEX_FILE: index };
    await git(workspace, ['add', '-A'], { env });
    return (await gitText(workspace, ['write-tree'], { env })).trim();
  } finally {
    await rm(index, { force: true });
  }
}

/** The workspace's git dir: its own `.git` folder, as Retrace makes them, without asking git. */
async function gitDirOf(workspace: string): Promise<string> {
  const own = join(workspace, '.git');
  if ((await stat(own).catch(() => null))?.isDirectory()) return own;
  return (await gitText(workspace, ['rev-parse', '--absolute-git-dir'])).trim();
}

const STATUS: Record<string, DiffFileStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type_changed',
};

interface Entry {
  status: DiffFileStatus;
  path: string;
  oldPath?: string;
}

/** `git diff-tree --name-status -z` output: status, then one path or (renames, copies) two. */
function parseNameStatus(raw: string): Entry[] {
  const fields = raw.split('\0');
  const entries: Entry[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++] ?? '';
    if (code === '') continue;
    const status = STATUS[code[0] ?? ''] ?? 'modified';
    if (status === 'renamed' || status === 'copied') {
      const oldPath = fields[i++] ?? '';
      entries.push({ status, oldPath, path: fields[i++] ?? '' });
    } else {
      entries.push({ status, path: fields[i++] ?? '' });
    }
  }
  return entries;
}

/** `--numstat -z`: "added\tdeleted\tpath" or, for renames, "added\tdeleted\t" then two paths; "-" for binary. */
function parseNumstat(raw: string): Array<{ additions: number; deletions: number; binary: boolean }> {
  const fields = raw.split('\0');
  const rows: Array<{ additions: number; deletions: number; binary: boolean }> = [];
  for (let i = 0; i < fields.length; ) {
    const field = fields[i++] ?? '';
    if (field === '') continue;
    const [added = '0', deleted = '0', path] = field.split('\t');
    if (path === '') i += 2; // a rename: the two paths follow as their own fields
    rows.push({
      additions: added === '-' ? 0 : Number(added),
      deletions: deleted === '-' ? 0 : Number(deleted),
      binary: added === '-',
    });
  }
  return rows;
}

/** A unified diff split per file: every file starts with a "diff --git" line. */
function splitPatch(patch: string): string[] {
  const parts = patch.split(/^(?=diff --git )/m);
  return parts.filter((part) => part.startsWith('diff --git '));
}

function cut(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const kept = text.slice(0, text.lastIndexOf('\n', max) + 1 || max);
  return {
    text: `${kept}[… patch truncated by Retrace: ${text.length - kept.length} more characters]\n`,
    truncated: true,
  };
}

/** What changed from `baseTree` to `current`, two trees of the workspace's repository: per file status, counts and patch. */
export async function diffTrees(
  workspace: string,
  baseTree: string,
  current: string,
  limits: DiffLimits = DEFAULT_DIFF_LIMITS,
): Promise<WorkspaceDiff> {
  if (current === baseTree) return { baseTree, files: [], additions: 0, deletions: 0, truncated: false };
  const range = ['-r', '-M', baseTree, current];
  const [nameStatus, numstat, patch] = await Promise.all([
    gitText(workspace, ['diff-tree', '-z', '--name-status', ...range]),
    gitText(workspace, ['diff-tree', '-z', '--numstat', ...range]),
    gitText(workspace, ['diff-tree', '-p', '--no-color', '--no-ext-diff', ...range]),
  ]);
  const entries = parseNameStatus(nameStatus);
  const counts = parseNumstat(numstat);
  const patches = splitPatch(patch);
  let budget = limits.totalPatchChars;
  let anyTruncated = false;
  const files: DiffFile[] = entries.map((entry, i) => {
    const count = counts[i] ?? { additions: 0, deletions: 0, binary: false };
    const whole = count.binary ? '' : (patches[i] ?? '');
    const limited = cut(whole, Math.min(limits.filePatchChars, Math.max(0, budget)));
    budget -= limited.text.length;
    anyTruncated ||= limited.truncated;
    return {
      path: entry.path,
      ...(entry.oldPath !== undefined ? { oldPath: entry.oldPath } : {}),
      status: entry.status,
      additions: count.additions,
      deletions: count.deletions,
      binary: count.binary,
      patch: limited.text,
      truncated: limited.truncated,
    };
  });
  return {
    baseTree,
    files,
    additions: files.reduce((sum, f) => sum + f.additions, 0),
    deletions: files.reduce((sum, f) => sum + f.deletions, 0),
    truncated: anyTruncated,
  };
}

/** A file as it was in a tree (the run's base): null when it did not exist or is not text. */
export async function readFromTree(workspace: string, tree: string, path: string): Promise<string | null> {
  const result = await git(workspace, ['cat-file', 'blob', `${tree}:${path}`], {
    allowFailure: true,
    encoding: 'buffer',
  });
  if (result.exitCode !== 0) return null;
  const bytes = Buffer.from(result.stdout as unknown as Uint8Array);
  return bytes.includes(0) ? null : bytes.toString('utf8');
}
