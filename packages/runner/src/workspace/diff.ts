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
  additions: number;
  deletions: number;
  binary: boolean;
}

/**
 * `git diff-tree -z --raw --numstat -p`: each file's raw line (":modes ids STATUS", then one
 * path or, for renames and copies, two), then each file's numstat ("added\tdeleted\tpath",
 * or "added\tdeleted\t" and two paths; "-" for binary), then an empty field and the patch.
 * One git process instead of one per format, and rename detection done once.
 */
function parseDiffTree(raw: string): { entries: Entry[]; patch: string } {
  const fields = raw.split('\0');
  const entries: Entry[] = [];
  let i = 0;
  while (fields[i]?.startsWith(':')) {
    const code = (fields[i++] ?? '').split(' ')[4] ?? '';
    const status = STATUS[code[0] ?? ''] ?? 'modified';
    const first = fields[i++] ?? '';
    const entry = { status, path: first, additions: 0, deletions: 0, binary: false };
    entries.push(
      status === 'renamed' || status === 'copied'
        ? { ...entry, oldPath: first, path: fields[i++] ?? '' }
        : entry,
    );
  }
  for (const entry of entries) {
    const [added = '0', deleted = '0', path] = (fields[i++] ?? '').split('\t');
    if (path === '') i += 2; // a rename: the two paths follow as their own fields
    entry.binary = added === '-';
    entry.additions = entry.binary ? 0 : Number(added);
    entry.deletions = entry.binary ? 0 : Number(deleted);
  }
  // The empty field between the counts and the patch; a patch holds no NUL (git calls such files binary).
  return { entries, patch: fields.slice(i + 1).join('\0') };
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
  const { entries, patch } = parseDiffTree(
    await gitText(workspace, [
      'diff-tree',
      '-r',
      '-M',
      '-z',
      '--raw',
      '--numstat',
      '-p',
      '--no-color',
      '--no-ext-diff',
      baseTree,
      current,
    ]),
  );
  const patches = splitPatch(patch);
  let budget = limits.totalPatchChars;
  let anyTruncated = false;
  const files: DiffFile[] = entries.map((entry, i) => {
    const whole = entry.binary ? '' : (patches[i] ?? '');
    const limited = cut(whole, Math.min(limits.filePatchChars, Math.max(0, budget)));
    budget -= limited.text.length;
    anyTruncated ||= limited.truncated;
    return {
      path: entry.path,
      ...(entry.oldPath !== undefined ? { oldPath: entry.oldPath } : {}),
      status: entry.status,
      additions: entry.additions,
      deletions: entry.deletions,
      binary: entry.binary,
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
