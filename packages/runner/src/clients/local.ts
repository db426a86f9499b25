import type { RunnerClient } from '@retrace/protocol';
import type { Runner } from '../runner';

/** The runner in this process: no HTTP, the same events and the same RunnerErrors. */
export function createLocalRunnerClient(runner: Runner): RunnerClient {
  return {
    async *run(input, { signal, lastEventId }) {
      // Resuming means the run exists: `follow` says NOT_FOUND if this runner does not know it.
      if (!lastEventId) runner.start(input);
      // Each event is handed over here, by reference: the run need not keep what was taken.
      yield* runner.follow(input.runId, Number(lastEventId ?? 0), signal, { release: true });
    },
    async cancel(runId) {
      runner.cancel(runId, 'canceled by user');
    },
    health: () => runner.health(),
    removeWorkspaces: (request) => runner.removeWorkspaces(request),
    toBranch: (request) => runner.toBranch(request),
  };
}
