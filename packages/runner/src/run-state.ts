import type { ParsedRunInput, RunnerEvent, TrackedRunnerEvent } from '@retrace/protocol';

/** One run as the runner holds it: its input, every event so far, and how to stop it. */
export interface RunState {
  input: ParsedRunInput;
  events: TrackedRunnerEvent[];
  wake: Set<() => void>;
  done: boolean;
  abort: AbortController;
  cancelReason: string | null;
}

export function createRunState(input: ParsedRunInput): RunState {
  return {
    input,
    events: [],
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

/** The run's events after `afterId`, then live ones, ending after its last. */
export async function* followRun(
  state: RunState,
  afterId: number,
  signal?: AbortSignal,
): AsyncGenerator<TrackedRunnerEvent> {
  let next = afterId;
  while (!signal?.aborted) {
    while (next < state.events.length) yield state.events[next++] as TrackedRunnerEvent;
    if (state.done) return;
    await nextChange(state, signal);
  }
}

/** Resolves once the run has ended. */
export async function ended(state: RunState): Promise<void> {
  while (!state.done) await nextChange(state);
}
