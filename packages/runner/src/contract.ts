/**
 * What crosses the runner's process boundary: the input of a run and the events it yields.
 * The API (in process or over HTTP) and the seed's `POST /run` route both speak this.
 */
import type { StepKind } from '@retrace/patterns';
import { z } from 'zod';

/** Project and run ids name folders on disk: no dots, no slashes, nothing to escape with. */
export const idSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'must be 1-64 letters, digits, "_" or "-", starting with a letter or digit',
  );

export const PROFILES = ['batch', 'readonly'] as const;
export const profileSchema = z.enum(PROFILES);
export type Profile = z.infer<typeof profileSchema>;

export const DEFAULT_BASE_PROMPT = 'You are a precise code agent.';

/** Where the run's workspace comes from. */
export const workspaceRequestSchema = z.discriminatedUnion('kind', [
  /** An empty folder, `git init`-ed with an initial commit. */
  z.object({ kind: z.literal('new') }),
  /** A clone of a git URL or local repository path. */
  z.object({ kind: z.literal('clone'), source: z.string().min(1) }),
  /** An exact copy of another run's workspace, `.git` and uncommitted files included. */
  z.object({ kind: z.literal('fork'), fromProjectId: idSchema, fromRunId: idSchema }),
  /** A folder inside the data dir's workspaces folder (the seed route), created if absent. */
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
]);
export type WorkspaceRequest = z.infer<typeof workspaceRequestSchema>;

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** The Swarm-style context variables the agent's instructions are computed from. */
export const contextVariablesSchema = z.object({
  base_prompt: z.string().default(DEFAULT_BASE_PROMPT),
  /** A `<reference_workflow>` block to follow, or empty. */
  pattern_block: z.string().default(''),
  profile: profileSchema.default('batch'),
});
export type ContextVariables = z.infer<typeof contextVariablesSchema>;

export const runInputSchema = z.object({
  runId: idSchema,
  projectId: idSchema,
  workspace: workspaceRequestSchema,
  /** The task. Also the last user message of the conversation. */
  prompt: z.string().min(1, 'prompt must not be empty'),
  /** Earlier conversation, before the prompt. */
  messages: z.array(chatMessageSchema).default([]),
  context: contextVariablesSchema,
  /** Run in the workspace after the agent; the run succeeds only if it exits 0. */
  verifyCommand: z.string().min(1).optional(),
});
export type RunInput = z.input<typeof runInputSchema>;
export type ParsedRunInput = z.output<typeof runInputSchema>;

export interface RunnerStep {
  /** 1, 2, 3… in the order the steps happened, across Codex, the agent loop and verify. */
  seq: number;
  kind: StepKind;
  /** One line; for a command, the command as written; for a file change, a replayable plan line. */
  instruction: string;
  outcomeOk: boolean;
  /** The raw item (Codex item, chat message, tool call and result, verify output). */
  payload: unknown;
  startedAt: number;
  finishedAt: number | null;
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

export interface RunUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
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
}

/** What the agent is doing right now, before it becomes a step (a long command, say). */
export interface RunActivity {
  kind: 'command';
  text: string;
  startedAt: number;
}

export type RunnerEvent =
  | { type: 'status'; status: 'preparing' | 'running' | 'verifying'; workspacePath: string }
  | { type: 'step'; step: RunnerStep }
  /** Started, not finished: the step that ends it follows. */
  | { type: 'activity'; activity: RunActivity }
  /** One raw line of `codex exec --json` stdout, exactly as read. */
  | { type: 'codex_line'; line: string }
  | { type: 'diff'; diff: WorkspaceDiff }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; source: 'codex' | 'runner' | 'verify'; message: string }
  /** Always the last event of a run, whatever its outcome. */
  | { type: 'result'; result: RunResult };

export type RunnerEventType = RunnerEvent['type'];

export interface RunnerHealth {
  ok: boolean;
  version: string;
  codexVersion: string | null;
  modelMode: 'offline' | 'openai';
  activeRuns: number;
}

/**
 * How the API drives a runner, in process or over HTTP: one implementation per transport,
 * the same events either way. `run` attaches to an existing run with the same id instead of
 * starting it twice, and resumes after `lastEventId`.
 */
export interface RunnerClient {
  run(
    input: RunInput,
    options: { signal: AbortSignal; lastEventId?: string },
  ): AsyncIterable<TrackedRunnerEvent>;
  cancel(runId: string): Promise<void>;
  health(): Promise<RunnerHealth>;
}

export interface TrackedRunnerEvent {
  /** Position of the event in the run's stream, for resuming. */
  id: string;
  event: RunnerEvent;
}
