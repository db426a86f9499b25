import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProcessWatch, identify } from './process-tree';

const dir = mkdtempSync(join(tmpdir(), 'retrace-process-tree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A process of its own session with an empty environment (no tag), naming `arg` as a sandbox helper names its mounts. */
function helperNaming(arg: string) {
  const child = spawn('/bin/sh', ['-c', 'sleep 30', 'helper', arg], {
    detached: true,
    stdio: 'ignore',
    env: {},
  });
  child.unref();
  return child.pid as number;
}

/** Gone: Node reaps its children soon after they die, so a dead one stops being found. */
async function reaped(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if ((await identify(pid)) === null) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('a process watch', () => {
  it('ends, when it stops, the untagged processes that name its own path, and no other', async () => {
    const runTmp = join(dir, 'tmp', 'run-1');
    const watch = createProcessWatch(join(dir, 'processes'), 'tag-1', runTmp);
    // The watched process itself (Codex, in a run), long gone by the time its helpers linger.
    const root = spawn('/bin/true');
    await new Promise((resolve) => root.once('exit', resolve));
    await watch.start(root.pid as number);
    const inside = helperNaming(`${runTmp}/.git`);
    const exact = helperNaming(runTmp);
    // Another run whose path begins with this one's.
    const neighbour = helperNaming(`${runTmp}1/.git`);
    await new Promise((resolve) => setTimeout(resolve, 100));

    await watch.stop();

    expect(await reaped(inside)).toBe(true);
    expect(await reaped(exact)).toBe(true);
    expect(await identify(neighbour)).not.toBeNull();
    process.kill(neighbour, 'SIGKILL');
  });
});
