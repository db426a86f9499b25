import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { PROCESS_TAG_VARIABLE } from './process-tree';

const WATCHDOG_VARIABLE = 'RETRACE_WATCHDOG_CODEX_HOME';
/** The watchdog shell's $0: what tells it from the commands it runs, which share its environment. */
const WATCHDOG_NAME = 'retrace-watchdog';

// Waits for the runner's process to go, then kills every process carrying one of its tags
// (Codex and every command it ran) and every one naming its CODEX_HOME on its command line
// (Codex's own sandbox helpers, which start with an empty environment), round after round
// until none is left: a dying process may still start another. It is over within a second
// or two of the runner's end; a runner started again on the same data dir sooner than that
// waits for it (waitForEarlierWatchdogs) before its first Codex, which it would kill too.
const SCRIPT = `
parent=$1; needle="${PROCESS_TAG_VARIABLE}=$2"
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
for round in 1 2 3 4 5 6 7 8 9 10; do
  found=
  for file in $(grep -laF "$needle" /proc/[0-9]*/environ 2>/dev/null) \\
              $(grep -laF "$RETRACE_WATCHDOG_CODEX_HOME" /proc/[0-9]*/cmdline 2>/dev/null); do
    pid=\${file#/proc/}; pid=\${pid%/*}
    [ "$pid" = "$$" ] && continue
    kill -KILL "$pid" 2>/dev/null && found=1
  done
  [ -z "$found" ] && exit 0
  sleep 0.2
done
`;

/**
 * A runner killed outright (kill -9, an OOM kill) cannot end what it started; this watchdog,
 * a detached shell that outlives it, does so within a second or two. Every process a run
 * starts carries a tag beginning with `prefix` (see createProcessWatch).
 */
export function startWatchdog(codexHome: string): { prefix: string; pid: number | undefined; stop(): void } {
  const prefix = `w${randomBytes(6).toString('hex')}`;
  const child = spawn('/bin/sh', ['-c', SCRIPT, WATCHDOG_NAME, String(process.pid), prefix], {
    detached: true,
    stdio: 'ignore',
    // Not on its command line: the watchdog must not match itself.
    env: { PATH: '/usr/bin:/bin', [WATCHDOG_VARIABLE]: codexHome },
  });
  child.unref();
  return {
    prefix,
    pid: child.pid,
    stop() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** The watchdogs of this CODEX_HOME other than `own`: their environment names it. */
async function watchdogsOf(codexHome: string, own: number | undefined): Promise<number[]> {
  const needle = `${WATCHDOG_VARIABLE}=${codexHome}\0`;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  const found: number[] = [];
  for (const pid of pids) {
    if (Number(pid) === own || Number(pid) === process.pid) continue;
    // Other users' processes, and those gone meanwhile, cannot be read: not ours.
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    if (!`${environ}\0`.includes(needle)) continue;
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'latin1').catch(() => '')).split('\0');
    if (argv[3] === WATCHDOG_NAME) found.push(Number(pid));
  }
  return found;
}

/**
 * Resolves once no watchdog of an earlier runner on this CODEX_HOME is left: one whose runner
 * was just killed is still sweeping, and would kill this runner's Codex too. Past `timeoutMs`
 * (it is over in about three seconds) what is left is killed; the orphans it was after are
 * this runner's to reap.
 */
export async function waitForEarlierWatchdogs(
  codexHome: string,
  own: number | undefined,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await watchdogsOf(codexHome, own);
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
