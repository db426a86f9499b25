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

export interface SourceStep {
  seq: number;
  kind: StepKind;
  instruction: string;
  outcomeOk: boolean;
}

/** One successful run to learn from. */
export interface PatternSource {
  runId: string;
  prompt?: string;
  steps: SourceStep[];
}

export type VariableKind = 'file' | 'range' | 'substitution';

export interface PatternVariable {
  name: string;
  kind: VariableKind;
  value: string;
}

export interface PatternStep {
  n: number;
  kind: StepKind;
  instruction: string;
  sourceRunId: string;
  sourceSeq: number;
}

export interface Pattern {
  /** The `<reference_workflow>` XML block injected into later runs. */
  block: string;
  steps: PatternStep[];
  variables: PatternVariable[];
  /** o200k token count of `block`. */
  tokenCount: number;
  /** Something was dropped or merged to fit the caps. */
  truncated: boolean;
}
