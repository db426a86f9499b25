import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { PROCESS_TAG_VARIABLE } from './process-tree';

// Waits for the runner's process to go, then kills every process carrying one of its tags
// (Codex and every command it ran) and every one naming its CODEX_HOME on its command line
// (Codex's own sandbox helpers, which start with an empty environment), round after round
// until none is left: a dying process may still start another. It is over within a second
// or two of the runner's end, long before a runner started again on the same data dir could
// have started a Codex of its own.
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
export function startWatchdog(codexHome: string): { prefix: string; stop(): void } {
  const prefix = `w${randomBytes(6).toString('hex')}`;
  const child = spawn('/bin/sh', ['-c', SCRIPT, 'retrace-watchdog', String(process.pid), prefix], {
    detached: true,
    stdio: 'ignore',
    // Not on its command line: the watchdog must not match itself.
    env: { PATH: '/usr/bin:/bin', RETRACE_WATCHDOG_CODEX_HOME: codexHome },
  });
  child.unref();
  return {
    prefix,
    stop() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
