import type { Step } from './step';

export interface RunUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

export type DiffFileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type_changed';

export interface DiffFile {
  path: string;
  /** Set for renames and copies. */
  oldPath?: string;
  status: DiffFileStatus;
  additions: number;
  deletions: number;
  binary: boolean;
  /** The unified patch of this file, possibly cut (see `truncated`). */
  patch: string;
  truncated: boolean;
}

export interface WorkspaceDiff {
  /** The git tree the diff is taken against: the workspace as it was when the run started. */
  baseTree: string;
  files: DiffFile[];
  additions: number;
  deletions: number;
  /** Some patch was cut to keep the diff within its size limit. */
  truncated: boolean;
}

export type RunOutcome = 'succeeded' | 'failed' | 'canceled';

export interface RunResult {
  ok: boolean;
  outcome: RunOutcome;
  summary: string;
  filesTouched: string[];
  usage: RunUsage;
  diff: WorkspaceDiff | null;
  /** Why the run failed or was canceled. */
  error: string | null;
  /** Codex's last agent message. */
  lastMessage: string | null;
  workspacePath: string;
  /** The verify command passed (true) or failed (false); null when there is none or it never ran. */
  verified: boolean | null;
  /** Requests to the agent model. */
  turns: number;
}

/** What the agent is doing right now, before it becomes a step (a long command, say). */
export interface RunActivity {
  kind: 'command';
  text: string;
  startedAt: number;
}

/** The instructions the runner gave each model layer, byte for byte as they were sent. */
export interface RunInstructions {
  /** The system message of every request to the agent model. */
  system: string;
  /** Codex's `developer_instructions` for every `codex exec` of the run; null when it was given none. */
  codex: string | null;
}

/** Where a running run is, between queued and its end. */
export const RUN_PHASES = ['preparing', 'running', 'verifying'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

export type RunnerEvent =
  | { type: 'status'; status: RunPhase; workspacePath: string; baseCommit?: string | null }
  /** Sent once, before the agent model's first request. */
  | { type: 'instructions'; instructions: RunInstructions }
  | { type: 'step'; step: Step }
  /** Started, not finished: the step that ends it follows. */
  | { type: 'activity'; activity: RunActivity }
  /** The tokens the run has spent so far (both model layers), after each model turn. */
  | { type: 'usage'; usage: RunUsage }
  /** One raw line of `codex exec --json` stdout, exactly as read. */
  | { type: 'codex_line'; line: string }
  | { type: 'diff'; diff: WorkspaceDiff }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; source: 'codex' | 'runner' | 'verify'; message: string }
  /** Always the last event of a run, whatever its outcome. */
  | { type: 'result'; result: RunResult };

export interface TrackedRunnerEvent {
  /** Position of the event in the run's stream, for resuming. */
  id: string;
  event: RunnerEvent;
}

/** offline: the offline model (a simulator) stands in; openai: an OpenAI-compatible hosted model. */
export type ModelMode = 'offline' | 'openai';

export interface RunnerHealth {
  ok: boolean;
  version: string;
  codexVersion: string | null;
  modelMode: ModelMode;
  activeRuns: number;
}
