import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { readFromTree } from '../workspace/index';

/** Content shown inline in a `create` line up to this size; larger files are named only. */
const INLINE_LIMIT = 2048;

function quotePath(path: string): string {
  return /\s/.test(path) ? `\`${path}\`` : path;
}

async function readText(path: string): Promise<string | null> {
  try {
    const bytes = await readFile(path);
    return bytes.length > 1_000_000 || bytes.includes(0) ? null : bytes.toString('utf8');
  } catch {
    return null;
  }
}

/** The changed lines between two versions of a file, as whole lines. */
export function changedLines(before: string, after: string): { old: string; new: string } | null {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  // A pure insertion has nothing to replace: anchor it on the line before.
  if (endA === start && start > 0) start--;
  const old = a.slice(start, endA).join('\n');
  if (old === '') return null;
  return { old, new: b.slice(start, endB).join('\n') };
}

/**
 * Describes Codex's file changes as plan lines a later run can replay: `create <path>:
 * "<content>"`, `edit <path>: replace "<old lines>" with "<new lines>"`, `delete <path>`.
 * It remembers each file's last known content, so an edit is described against the
 * version before it (the run's base tree the first time).
 */
export function createFileChangeDescriber(workspace: string, baseTree: string) {
  const known = new Map<string, string | null>();

  async function previous(path: string): Promise<string | null> {
    if (known.has(path)) return known.get(path) ?? null;
    return readFromTree(workspace, baseTree, path);
  }

  return {
    /** Relative path inside the workspace for a path Codex reports (absolute in its JSONL). */
    relativePath(path: string): string {
      return isAbsolute(path) ? relative(workspace, path) : path;
    },
    async describe(changes: Array<{ path: string; kind: string }>): Promise<string> {
      const lines: string[] = [];
      for (const change of changes) {
        const path = isAbsolute(change.path) ? relative(workspace, change.path) : change.path;
        const shown = quotePath(path);
        if (change.kind === 'delete') {
          known.set(path, null);
          lines.push(`delete ${shown}`);
          continue;
        }
        // A new file has no earlier version to read: no git process for it.
        const before = change.kind === 'add' ? null : await previous(path);
        const after = await readText(resolve(workspace, path));
        known.set(path, after);
        if (change.kind === 'add' || before === null) {
          lines.push(
            after !== null && after.length <= INLINE_LIMIT
              ? `create ${shown}: ${JSON.stringify(after)}`
              : `create ${shown}`,
          );
          continue;
        }
        const edit = after === null ? null : changedLines(before, after);
        lines.push(
          edit
            ? `edit ${shown}: replace ${JSON.stringify(edit.old)} with ${JSON.stringify(edit.new)}`
            : `edit ${shown}`,
        );
      }
      return lines.join('; ');
    },
  };
}
