import { describe, expect, it } from 'vitest';
import { createRunQueue } from './run-queue';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('run queue', () => {
  it('runs everything, in order, never more than maxConcurrency at once', async () => {
    const started: string[] = [];
    let running = 0;
    let peak = 0;
    const all = Array.from({ length: 20 }, (_, i) => `r${i}`);
    const finished = deferred();
    let done = 0;
    const queue = createRunQueue({
      maxConcurrency: 2,
      execute: async (runId) => {
        started.push(runId);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 1 + (Number(runId.slice(1)) % 3)));
        running--;
        if (++done === all.length) finished.resolve();
      },
    });
    for (const runId of all) queue.enqueue({ runId, afterRunId: null });
    await finished.promise;
    expect(started).toEqual(all);
    expect(peak).toBe(2);
    expect(queue.peakConcurrency()).toBe(2);
  });

  it('holds a run that continues another until that one has ended', async () => {
    const gates = new Map([['a', deferred()]]);
    const started: string[] = [];
    const queue = createRunQueue({
      maxConcurrency: 4,
      execute: async (runId) => {
        started.push(runId);
        await gates.get(runId)?.promise;
      },
    });
    queue.enqueue({ runId: 'a', afterRunId: null });
    queue.enqueue({ runId: 'b', afterRunId: 'a' });
    queue.enqueue({ runId: 'c', afterRunId: null });
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual(['a', 'c']);
    expect(queue.waitingIds()).toEqual(['b']);
    gates.get('a')?.resolve();
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual(['a', 'c', 'b']);
  });

  it('removes a waiting run, not a running one', async () => {
    const gate = deferred();
    const started: string[] = [];
    const queue = createRunQueue({
      maxConcurrency: 1,
      execute: async (runId) => {
        started.push(runId);
        await gate.promise;
      },
    });
    queue.enqueue({ runId: 'a', afterRunId: null });
    queue.enqueue({ runId: 'b', afterRunId: null });
    expect(queue.remove('a')).toBe(false);
    expect(queue.remove('b')).toBe(true);
    gate.resolve();
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual(['a']);
  });

  it('keeps going after a run throws, and reports it', async () => {
    const errors: string[] = [];
    const started: string[] = [];
    const queue = createRunQueue({
      maxConcurrency: 1,
      execute: async (runId) => {
        started.push(runId);
        if (runId === 'a') throw new Error('boom');
      },
      onError: (runId, error) => errors.push(`${runId}: ${(error as Error).message}`),
    });
    queue.enqueue({ runId: 'a', afterRunId: null });
    queue.enqueue({ runId: 'b', afterRunId: null });
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual(['a', 'b']);
    expect(errors).toEqual(['a: boom']);
  });
});
