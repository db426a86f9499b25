export const STEP_KINDS = [
  'agent_message',
  'reasoning',
  'command',
  'file_change',
  'tool_call',
  'web_search',
  'todo_list',
  'error',
] as const;

/** What a recorded step was: a Codex item type, or the runner agent's own message / tool call. */
export type StepKind = (typeof STEP_KINDS)[number];

/** One recorded unit of a run, as the runner reports it and the API stores it. */
export interface Step {
  /** 1, 2, 3… in the order the steps happened, across Codex, the agent loop and verify. */
  seq: number;
  kind: StepKind;
  /** One line; for a command, the command as written; for a file change, a replayable plan line. */
  instruction: string;
  outcomeOk: boolean;
  /**
   * The raw item (Codex item, chat message, tool call and result, verify output). Optional
   * because that is what JSON promises: a key whose value is undefined does not arrive.
   */
  payload?: unknown;
  startedAt: number;
  finishedAt: number | null;
}

/** A step before the runner gives it its place (`seq`) in the run. */
export type StepDraft = Omit<Step, 'seq'>;

/** How a step ended: ok, failed, or canceled (cut off by its run's cancel while it was running). */
export const STEP_STATUSES = ['ok', 'failed', 'canceled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/**
 * A step cut off by a cancel is not ok, and its payload (the item as it was when cut off)
 * says so in its `status`, the field Codex's own items carry ("completed", "failed").
 */
export function stepStatus(step: Pick<Step, 'outcomeOk' | 'payload'>): StepStatus {
  if (step.outcomeOk) return 'ok';
  const payload = step.payload as { status?: unknown } | null | undefined;
  return payload?.status === 'canceled' ? 'canceled' : 'failed';
}
