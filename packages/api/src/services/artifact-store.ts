import { createReadStream, mkdirSync, type ReadStream } from 'node:fs';
import { appendFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { ArtifactKind } from '@retrace/db';

/** The files a run keeps. Names are fixed here, never taken from a request. */
export const ARTIFACT_FILES = {
  codex_jsonl: { name: 'codex.jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
  diff_summary: { name: 'diff.json', contentType: 'application/json; charset=utf-8' },
  diff_patch: { name: 'diff.patch', contentType: 'text/x-diff; charset=utf-8' },
  last_message: { name: 'last-message.md', contentType: 'text/markdown; charset=utf-8' },
  log: { name: 'run.log', contentType: 'text/plain; charset=utf-8' },
} as const satisfies Record<ArtifactKind, { name: string; contentType: string }>;

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

// Only this user reads what a run kept: its commands' output may hold anything.
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** How many run folders the store remembers having made: more runs than ever run at once. */
const REMEMBERED_FOLDERS = 1000;

/**
 * Lines as UTF-8, each ended by a newline, encoded straight into one buffer: joining a
 * batch's lines (megabytes of command output) into one string first, then encoding that,
 * took three to five times as long.
 */
function encodeLines(lines: readonly string[]): Buffer {
  let bytes = 0;
  for (const line of lines) bytes += Buffer.byteLength(line) + 1;
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const line of lines) {
    at += out.write(line, at);
    out[at++] = NEWLINE;
  }
  return out;
}

const NEWLINE = 0x0a;

/** Artifact files on disk under `<root>/<runId>/<name>`. */
export function createArtifactStore(root: string) {
  const base = resolve(root);
  // Made at once, so a run's sandbox (which hides the data dir's entries as they are when it
  // starts) hides this one too; a root that cannot be made fails the first write instead.
  try {
    mkdirSync(base, { recursive: true, mode: DIR_MODE });
  } catch {
    // reported where it matters: each write says why it failed
  }

  function storagePath(runId: string, name: string): string {
    if (
      !SAFE_SEGMENT.test(runId) ||
      !SAFE_SEGMENT.test(name) ||
      name.includes('..') ||
      runId.includes('..')
    ) {
      throw new Error(`unsafe artifact path ${JSON.stringify(`${runId}/${name}`)}`);
    }
    return join(runId, name);
  }

  /** Resolves a stored relative path, refusing anything that would leave the store. */
  function absolute(relativePath: string): string {
    const full = resolve(base, relativePath);
    if (!full.startsWith(base + sep)) throw new Error(`artifact path escapes the store: ${relativePath}`);
    return full;
  }

  // The run folders made lately: a run appends to its files with each batch it sends, and
  // its folder is made at the first. Forgotten in bulk so a long-lived server keeps no list
  // of every run it ever had; a run still going makes its folder again, once.
  const made = new Set<string>();
  async function pathInRunFolder(runId: string, name: string): Promise<string> {
    const full = absolute(storagePath(runId, name));
    if (!made.has(runId)) {
      await mkdir(join(base, runId), { recursive: true, mode: DIR_MODE });
      if (made.size >= REMEMBERED_FOLDERS) made.clear();
      made.add(runId);
    }
    return full;
  }

  async function write(runId: string, name: string, content: string | Uint8Array): Promise<number> {
    const full = await pathInRunFolder(runId, name);
    // Write then rename: a reader (or a crash) never sees half a file.
    const temporary = `${full}.tmp-${process.pid}`;
    await writeFile(temporary, content, { mode: FILE_MODE });
    await rename(temporary, full);
    return typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
  }

  /** Appends text, or lines (each then ends with a newline). */
  async function append(runId: string, name: string, content: string | readonly string[]): Promise<void> {
    const full = await pathInRunFolder(runId, name);
    await appendFile(full, typeof content === 'string' ? content : encodeLines(content), { mode: FILE_MODE });
  }

  async function size(relativePath: string): Promise<number | null> {
    try {
      return (await stat(absolute(relativePath))).size;
    } catch {
      return null;
    }
  }

  function open(relativePath: string): ReadStream {
    return createReadStream(absolute(relativePath));
  }

  /** Deletes every file a run kept, and its folder; nothing to do when it kept none. */
  async function removeRun(runId: string): Promise<void> {
    const folder = dirname(absolute(storagePath(runId, 'any')));
    await rm(folder, { recursive: true, force: true });
    made.delete(runId);
  }

  return { storagePath, write, append, size, open, removeRun, root: base };
}

export type ArtifactStore = ReturnType<typeof createArtifactStore>;
