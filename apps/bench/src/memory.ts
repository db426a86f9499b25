import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Figure, figure, repeat, spread } from './stats';

const ITEMS = 10_000;
const probe = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));

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
 * Codex replaced by a recording.
 */
export async function benchMemory(): Promise<Figure[]> {
  const samples = await repeat(3, async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', probe, String(ITEMS)],
      { maxBuffer: 1024 * 1024 },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Probe;
  });
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
  ];
}
