/**
 * The run queue: first in, first out, at most `maxConcurrency` runs at once. A run that
 * continues another run's workspace waits until that run is no longer queued or running.
 */
export interface QueuedRun {
  runId: string;
  /** The run whose workspace this one continues. */
  afterRunId: string | null;
}

export interface RunQueueOptions {
  maxConcurrency: number;
  /** Runs one run to its end; never rejects for the run's own failures. */
  execute: (runId: string) => Promise<void>;
  onError?: (runId: string, error: unknown) => void;
}

export function createRunQueue({ maxConcurrency, execute, onError }: RunQueueOptions) {
  const waiting: QueuedRun[] = [];
  const running = new Map<string, Promise<void>>();
  let paused = false;
  let peak = 0;

  function isActive(runId: string): boolean {
    return running.has(runId) || waiting.some((q) => q.runId === runId);
  }

  function pump(): void {
    while (!paused && running.size < maxConcurrency) {
      const index = waiting.findIndex((q) => q.afterRunId === null || !isActive(q.afterRunId));
      if (index === -1) return;
      const [next] = waiting.splice(index, 1);
      if (!next) return;
      const done = execute(next.runId)
        .catch((error: unknown) => onError?.(next.runId, error))
        .finally(() => {
          running.delete(next.runId);
          pump();
        });
      running.set(next.runId, done);
      peak = Math.max(peak, running.size);
    }
  }

  return {
    enqueue(run: QueuedRun): void {
      if (isActive(run.runId)) return;
      waiting.push(run);
      pump();
    },
    /** Takes a run out of the queue if it has not started; true when it was waiting. */
    remove(runId: string): boolean {
      const index = waiting.findIndex((q) => q.runId === runId);
      if (index === -1) return false;
      waiting.splice(index, 1);
      pump();
      return true;
    },
    isRunning: (runId: string) => running.has(runId),
    isActive,
    runningIds: () => [...running.keys()],
    waitingIds: () => waiting.map((q) => q.runId),
    /** The most runs that were ever running at once. */
    peakConcurrency: () => peak,
    /** Stops starting runs; returns when the running ones have ended. */
    async pause(): Promise<void> {
      paused = true;
      await Promise.all(running.values());
    },
  };
}

export type RunQueue = ReturnType<typeof createRunQueue>;
