import type { BranchRequest, BranchResult, RemoveWorkspacesRequest } from './branch';
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
  /** The run's workspace as one commit on a new branch of its local source repository (optionally pushed). */
  toBranch(request: BranchRequest): Promise<BranchResult>;
  /** Deletes workspaces that are not in use; CONFLICT for one a run is using. */
  removeWorkspaces(request: RemoveWorkspacesRequest): Promise<{ removed: number }>;
}
