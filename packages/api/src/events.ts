import type { RunStatus } from '@retrace/db';
import type { RunActivity, RunPhase, RunUsage } from '@retrace/protocol';
import type { Artifact, DiffSummary, RunListItem, Step } from './dto';

/** What can happen to a run, as stored in its event log and delivered to subscribers. */
export type RunEventData =
  | { type: 'created'; run: RunListItem }
  | { type: 'status'; status: RunStatus; phase: RunPhase | null; error: string | null; run: RunListItem }
  | { type: 'step'; step: Step }
  | { type: 'diff'; diff: DiffSummary }
  | { type: 'artifact'; artifact: Artifact }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; source: string; message: string }
  /** A command started: the step that ends it follows (until then, what the run is doing). */
  | { type: 'activity'; activity: RunActivity }
  /** The tokens the running run has spent so far (stored on the run as it goes). */
  | { type: 'usage'; usage: RunUsage };

export type RunEvent = RunEventData & { id: number; runId: string; projectId: string; createdAt: number };

export const TERMINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'canceled'];

export function isTerminalStatus(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The last event of every run: its final status. */
export function isTerminalEvent(event: RunEventData): boolean {
  return event.type === 'status' && isTerminalStatus(event.status);
}

/** The events a project's run list follows. */
export const PROJECT_EVENT_TYPES = ['created', 'status'] as const satisfies ReadonlyArray<
  RunEventData['type']
>;
