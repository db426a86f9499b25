import type { RunInput } from './run-input';
import type { RunnerHealth, TrackedRunnerEvent } from './runner-events';

/**
 * How the API drives a runner, in process or over HTTP: one implementation per transport,
 * the same events and the same errors (`RunnerError`) either way. `run` attaches to an
 * existing run with the same id instead of starting it twice, and resumes after `lastEventId`.
 */
export interface RunnerClient {
  run(
    input: RunInput,
    options: { signal: AbortSignal; lastEventId?: string },
  ): AsyncIterable<TrackedRunnerEvent>;
  cancel(runId: string): Promise<void>;
  health(): Promise<RunnerHealth>;
}
