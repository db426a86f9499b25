import { readdir, readFile } from 'node:fs/promises';

/** Parent of every process, from /proc (Linux). */
async function parents(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses).
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      map.set(Number(name), Number(rest[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

/** Every descendant of a process, children before grandchildren. */
export async function descendantsOf(pid: number): Promise<number[]> {
  const parentOf = await parents();
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const [child, parent] of parentOf)
      if (frontier.includes(parent) && !found.includes(child)) next.push(child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ends a process and everything it started. Codex runs commands in their own session and
 * leaves them running when it gets SIGTERM, so the tree is collected first, every member
 * gets SIGTERM, and whatever is still alive (or started since) after the grace period
 * gets SIGKILL.
 */
export async function killTree(pid: number, graceMs = 2000): Promise<void> {
  const tree = new Set([pid, ...(await descendantsOf(pid))]);
  for (const member of [...tree].reverse()) signal(member, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && [...tree].some(alive)) await sleep(50);
  // Survivors, and anything they started meanwhile, get SIGKILL.
  for (const member of [...tree]) {
    if (alive(member)) for (const child of await descendantsOf(member)) tree.add(child);
  }
  for (const member of tree) if (alive(member)) signal(member, 'SIGKILL');
}
