import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Figure, figure, repeat, spread } from './stats';

const ITEMS = 10_000;
const probeOf = (name: string) => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));

/** Three samples of a probe, each a fresh process that prints its figures as its last JSON line. */
function sample<T>(probe: string): Promise<T[]> {
  return repeat(3, async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', probeOf(probe), String(ITEMS)],
      { maxBuffer: 1024 * 1024 },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as T;
  });
}

interface Probe {
  idle: number;
  peak: number;
  after: number;
  heapIdle: number;
  heapAfter: number;
}

/**
 * The server's memory while it records a 10,000-step run (every tenth command with 50 KB of
 * output), against the same server idle after one small run. Each sample is a fresh
 * process composing Retrace as the server does (database file, embedded runner, API), with
 * Codex replaced by a recording. Then the standalone runner's heap after the same run
 * followed over HTTP, as a server with RETRACE_RUNNER_URL follows it.
 */
export async function benchMemory(): Promise<Figure[]> {
  const samples = await sample<Probe>('memory-probe');
  const remote = await sample<Pick<Probe, 'heapIdle' | 'heapAfter'>>('remote-runner-memory-probe');
  const idle = {
    label: 'the same server, idle after one small run',
    value: spread(samples.map((s) => s.idle)),
  };
  return [
    figure(
      'Memory',
      `RSS while recording a ${ITEMS.toLocaleString('en')}-step run (peak)`,
      'MB',
      spread(samples.map((s) => s.peak)),
      idle,
    ),
    figure('Memory', 'RSS once that run has ended', 'MB', spread(samples.map((s) => s.after)), idle),
    // What the process still holds of the run, without the loader and the allocator's slack.
    figure(
      'Memory',
      'JS heap in use once that run has ended',
      'MB',
      spread(samples.map((s) => s.heapAfter)),
      { label: 'the same, idle after one small run', value: spread(samples.map((s) => s.heapIdle)) },
    ),
    // Over HTTP the runner cannot tell what reached its follower: it keeps events until told.
    figure(
      'Memory',
      'standalone runner: JS heap once that run, followed over HTTP, has ended',
      'MB',
      spread(remote.map((s) => s.heapAfter)),
      { label: 'the same runner, idle after one small run', value: spread(remote.map((s) => s.heapIdle)) },
    ),
  ];
}
