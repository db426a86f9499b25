import {
  type ParsedRunInput,
  RunnerError,
  type RunnerEvent,
  type TrackedRunnerEvent,
} from '@retrace/protocol';

/** One run as the runner holds it: its input, every event so far, and how to stop it. */
export interface RunState {
  input: ParsedRunInput;
  /** Every event so far, its id its place plus one; null once a releasing follower has it. */
  events: Array<TrackedRunnerEvent | null>;
  /** The run has sent its result: it is done with its workspace. */
  resultSent: boolean;
  wake: Set<() => void>;
  done: boolean;
  abort: AbortController;
  cancelReason: string | null;
}

export function createRunState(input: ParsedRunInput): RunState {
  return {
    input,
    events: [],
    resultSent: false,
    wake: new Set(),
    done: false,
    abort: new AbortController(),
    cancelReason: null,
  };
}

function wakeAll(state: RunState): void {
  for (const wake of state.wake) wake();
}

export function emit(state: RunState, event: RunnerEvent): void {
  state.events.push({ id: String(state.events.length + 1), event });
  if (event.type === 'result') state.resultSent = true;
  wakeAll(state);
}

export function markDone(state: RunState): void {
  state.done = true;
  wakeAll(state);
}

/** Asks the run to stop; the first reason given is the one it ends with. */
export function requestStop(state: RunState, reason: string, abortMessage = reason): void {
  state.cancelReason ??= reason;
  state.abort.abort(new Error(abortMessage));
}

/** Resolves at the run's next event or its end, or when `signal` aborts. */
function nextChange(state: RunState, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const wake = () => {
      state.wake.delete(wake);
      signal?.removeEventListener('abort', wake);
      resolve();
    };
    state.wake.add(wake);
    signal?.addEventListener('abort', wake, { once: true });
  });
}

export interface FollowOptions {
  /**
   * The follower is the run's one consumer and takes each event in this process: once it
   * asks for the next, it has the last, and the run lets that one go. A 10,000-step run no
   * longer holds its outputs for as long as the runner keeps it. Over HTTP a follower may not
   * have what was sent, and resumes from what it did get: the events stay until it says what
   * it has taken (`releaseThrough`).
   */
  release?: boolean;
}

/** The run's events after `afterId`, then live ones, ending after its last. */
export async function* followRun(
  state: RunState,
  afterId: number,
  signal?: AbortSignal,
  { release = false }: FollowOptions = {},
): AsyncGenerator<TrackedRunnerEvent> {
  let next = afterId;
  while (!signal?.aborted) {
    while (next < state.events.length) {
      const at = next++;
      const tracked = state.events[at];
      if (!tracked)
        throw new RunnerError(
          'CONFLICT',
          `event ${at + 1} of run ${state.input.runId} was handed over already; follow from ${lastReleased(state)} or later`,
        );
      yield tracked;
      if (release) state.events[at] = null;
    }
    if (state.done) return;
    await nextChange(state, signal);
  }
}

/**
 * Lets a run's events up to `throughId` go: a follower over HTTP says what it has taken, since
 * the runner cannot tell what reached it. Returns how many were let go now.
 */
export function releaseThrough(state: RunState, throughId: number): number {
  let released = 0;
  for (let at = Math.min(throughId, state.events.length) - 1; at >= 0 && state.events[at] !== null; at--) {
    state.events[at] = null;
    released++;
  }
  return released;
}

/** The id of the last event a releasing follower has taken (0 if none). */
function lastReleased(state: RunState): number {
  let last = 0;
  while (last < state.events.length && state.events[last] === null) last++;
  return last;
}

/** Resolves once the run has ended. */
export async function ended(state: RunState): Promise<void> {
  while (!state.done) await nextChange(state);
}
