import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** `taskset -a -p -c <cpus> <pid>`: every thread of a process onto those CPUs. */
function setAffinity(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

function canPin(): boolean {
  if (process.platform !== 'linux' || availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a load test with the servers on CPU 0 and this process (the load generator) on CPU 1,
 * then gives this process back every CPU (the servers are stopped after). Left to the
 * scheduler, a server sometimes shares a CPU with the load and sometimes not: on 2 CPUs the
 * bare node:http server measured 15k or 36k req/s by that alone, from one run to the next.
 * Says how the CPUs were shared.
 */
export async function withLoadApart<T>(
  serverPids: number[],
  task: () => Promise<T>,
): Promise<{ result: T; placement: string }> {
  if (!canPin()) return { result: await task(), placement: 'server and load on CPUs as the scheduler chose' };
  const all = `0-${availableParallelism() - 1}`;
  for (const pid of serverPids) setAffinity(pid, '0');
  setAffinity(process.pid, '1');
  try {
    return { result: await task(), placement: 'each server pinned to CPU 0, the load (autocannon) to CPU 1' };
  } finally {
    setAffinity(process.pid, all);
  }
}
