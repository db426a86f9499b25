import type { Step, StepKind } from '@retrace/protocol';

/** What the extractor reads of a recorded step: the recorded step's own fields, nothing more. */
export type SourceStep = Pick<Step, 'seq' | 'kind' | 'instruction' | 'outcomeOk'>;

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
  /** Failures of runs given the pattern before, kept in the block (at most three). */
  pitfalls: string[];
  /** Something was dropped or merged to fit the caps. */
  truncated: boolean;
}
