import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWatchdog, waitForEarlierWatchdogs } from './watchdog';

let dir: string;
let codexHome: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-watchdog-'));
  codexHome = join(dir, 'codex-home');
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A process that looks to the runner like a watchdog of `home` (its $0 and environment). */
function earlierWatchdog(home: string, script: string) {
  const child = spawn('/bin/sh', ['-c', script, 'retrace-watchdog', '1', 'wtest'], {
    env: { PATH: '/usr/bin:/bin', RETRACE_WATCHDOG_CODEX_HOME: home },
    stdio: 'ignore',
  });
  children.push(child);
  const exit = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  return { child, exit };
}

describe('waitForEarlierWatchdogs', () => {
  it('waits for the watchdog of a runner that was killed to finish its sweep', async () => {
    const earlier = earlierWatchdog(codexHome, 'sleep 1');
    let ended = false;
    void earlier.exit.then(() => {
      ended = true;
    });
    await waitForEarlierWatchdogs(codexHome, undefined);
    expect(ended).toBe(true);
  });

  it('does not wait for its own watchdog, nor for those of another CODEX_HOME', async () => {
    const own = startWatchdog(codexHome);
    const other = earlierWatchdog(join(dir, 'other-home'), 'sleep 30');
    await waitForEarlierWatchdogs(codexHome, own.pid);
    expect(other.child.exitCode).toBeNull();
    expect(own.pid && process.kill(own.pid, 0)).toBe(true);
    own.stop();
  });

  it('ends one that is still there when its time is up', async () => {
    const stuck = earlierWatchdog(codexHome, 'sleep 30');
    await waitForEarlierWatchdogs(codexHome, undefined, 300);
    await expect(stuck.exit).resolves.toBe('SIGKILL');
  });
});
