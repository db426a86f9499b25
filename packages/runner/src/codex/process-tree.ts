import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A process as itself: its pid and when it started (a pid alone can be reused). */
export interface ProcessIdentity {
  pid: number;
  startTime: number;
}

interface ProcInfo {
  parent: number;
  startTime: number;
}

/** Every process's parent and start time, from /proc (Linux). */
async function processTable(): Promise<Map<number, ProcInfo>> {
  const table = new Map<number, ProcInfo>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = await readProc(Number(name));
    if (info) table.set(Number(name), info);
  }
  return table;
}

async function readProc(pid: number): Promise<ProcInfo | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie has ended; only its parent's wait is missing (an init that never reaps, say).
    if (fields[0] === 'Z') return null;
    return { parent: Number(fields[1]), startTime: Number(fields[19]) };
  } catch {
    return null; // ended while we looked
  }
}

/** Every descendant of a process, children before grandchildren. */
export async function descendantsOf(pid: number): Promise<ProcessIdentity[]> {
  const table = await processTable();
  const found: ProcessIdentity[] = [];
  let frontier = new Set([pid]);
  while (frontier.size > 0) {
    const next = new Set<number>();
    for (const [child, info] of table) {
      if (frontier.has(info.parent) && !found.some((f) => f.pid === child)) {
        next.add(child);
        found.push({ pid: child, startTime: info.startTime });
      }
    }
    frontier = next;
  }
  return found;
}

/** The variable every process of a Codex invocation inherits, so orphans can be found by it. */
export const PROCESS_TAG_VARIABLE = 'RETRACE_PROCESS_TAG';

/** Processes carrying a tag in their environment: found even after they were reparented. */
export async function processesTagged(tag: string): Promise<ProcessIdentity[]> {
  const needle = `${PROCESS_TAG_VARIABLE}=${tag}\0`;
  const found: ProcessIdentity[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${name}/environ`, 'latin1');
      if (!environ.includes(needle)) continue;
      const identity = await identify(Number(name));
      if (identity) found.push(identity);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * Processes naming a path on their command line, as the path itself or a folder above what
 * they name. Codex's sandbox helpers start with an empty environment (no tag), but each
 * names the run's private TMPDIR among its bind mounts.
 */
export async function processesNaming(path: string): Promise<ProcessIdentity[]> {
  const exact = `${path}\0`;
  const inside = `${path}/`;
  const found: ProcessIdentity[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = await readFile(`/proc/${name}/cmdline`, 'latin1');
      if (!cmdline.includes(exact) && !cmdline.includes(inside)) continue;
      const identity = await identify(Number(name));
      if (identity) found.push(identity);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

export async function identify(pid: number): Promise<ProcessIdentity | null> {
  const info = await readProc(pid);
  return info ? { pid, startTime: info.startTime } : null;
}

/** Still the same process (not a new one that got the pid)? */
async function isAlive(process: ProcessIdentity): Promise<boolean> {
  const info = await readProc(process.pid);
  return info !== null && info.startTime === process.startTime;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ends processes and everything they started: each gets SIGTERM, and whatever is still
 * alive (or was started since) after the grace period gets SIGKILL.
 */
export async function killAll(members: ProcessIdentity[], graceMs = 2000): Promise<void> {
  const tree = new Map<number, ProcessIdentity>();
  for (const member of members) {
    if (!(await isAlive(member))) continue;
    tree.set(member.pid, member);
    for (const child of await descendantsOf(member.pid)) tree.set(child.pid, child);
  }
  for (const member of [...tree.values()].reverse()) signal(member.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const alive = async () => (await Promise.all([...tree.values()].map(isAlive))).some(Boolean);
  while (Date.now() < deadline && (await alive())) await sleep(50);
  for (const member of [...tree.values()]) {
    if (await isAlive(member))
      for (const child of await descendantsOf(member.pid)) tree.set(child.pid, child);
  }
  for (const member of tree.values()) if (await isAlive(member)) signal(member.pid, 'SIGKILL');
}

/**
 * Ends a process and everything it started. Codex runs commands in their own session and
 * leaves them running when it gets SIGTERM, so the tree is collected before any signal.
 */
export async function killTree(pid: number, graceMs = 2000): Promise<void> {
  const root = await identify(pid);
  if (root) await killAll([root], graceMs);
}

/**
 * Tags everything a process starts (an environment variable children inherit) and records
 * the tag under the data dir: what outlives the process (a command Codex left behind when
 * it was killed) is ended when it exits, and what outlives the whole runner (kill -9) is
 * ended when the next one starts. Found through /proc by the tag, even once reparented.
 */
export function createProcessWatch(
  registryDir: string | null,
  tag: string,
  /** A path only this invocation's processes name (its private TMPDIR): see processesNaming. */
  ownPath: string | null = null,
) {
  const file = registryDir ? join(registryDir, `${tag}.json`) : null;
  let root: ProcessIdentity | null = null;
  return {
    /** The environment variable to start the process with. */
    env: { [PROCESS_TAG_VARIABLE]: tag },
    async start(rootPid: number): Promise<void> {
      root = await identify(rootPid);
      if (!registryDir || !file) return;
      await mkdir(registryDir, { recursive: true });
      await writeFile(file, JSON.stringify({ tag, ownPath, processes: root ? [root] : [] }));
    },
    /**
     * Kills whatever carries the tag or names its own path and is still alive, then forgets
     * it. A sandbox helper Codex killed halfway through its set-up waits forever otherwise.
     */
    async stop(): Promise<void> {
      await killAll([...(root ? [root] : []), ...(await orphansOf(tag, ownPath))]);
      if (file) await rm(file, { force: true });
    },
  };
}

async function orphansOf(tag: string, ownPath: string | null): Promise<ProcessIdentity[]> {
  const tagged = await processesTagged(tag);
  if (!ownPath) return tagged;
  const named = await processesNaming(ownPath);
  return [...tagged, ...named.filter((n) => !tagged.some((t) => t.pid === n.pid))];
}

/** At start-up: processes a previous runner recorded and never ended (it was killed) are ended now. */
export async function reapOrphans(registryDir: string): Promise<number> {
  let files: string[];
  try {
    files = (await readdir(registryDir)).filter((f) => f.endsWith('.json'));
  } catch {
    return 0;
  }
  let reaped = 0;
  for (const name of files) {
    const path = join(registryDir, name);
    try {
      const record = JSON.parse(await readFile(path, 'utf8')) as {
        tag: string;
        ownPath?: string | null;
        processes: ProcessIdentity[];
      };
      const alive = await orphansOf(record.tag, record.ownPath ?? null);
      for (const member of record.processes) if (await isAlive(member)) alive.push(member);
      reaped += alive.length;
      await killAll(alive, 500);
    } catch {
      // A file half-written when the runner died: nothing to trust in it.
    }
    await rm(path, { force: true });
  }
  return reaped;
}
