import { z } from 'zod';

/** Project and run ids name folders on disk: no dots, no slashes, nothing to escape with. */
export const idSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'must be 1-64 letters, digits, "_" or "-", starting with a letter or digit',
  );

/** batch: the agent may change the workspace; readonly: it may only read and run commands. */
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

/** What the API (in process or over HTTP) asks a runner to run. */
export const runInputSchema = z.object({
  runId: idSchema,
  projectId: idSchema,
  workspace: workspaceRequestSchema,
  /** The task. Also the last user message of the conversation. */
  prompt: z.string().min(1, 'must not be empty'),
  /** Earlier conversation, before the prompt. */
  messages: z.array(chatMessageSchema).default([]),
  context: contextVariablesSchema,
  /** Run in the workspace after the agent; the run succeeds only if it exits 0. */
  verifyCommand: z.string().min(1).optional(),
  /** The project chose to run without Codex's sandbox: commands may write anywhere and reach the network. */
  fullAccess: z.boolean().default(false),
});
export type RunInput = z.input<typeof runInputSchema>;
export type ParsedRunInput = z.output<typeof runInputSchema>;
