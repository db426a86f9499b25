import type { ContextVariables } from '@retrace/protocol';

const PROFILE_RULES = {
  batch: 'You may change files and run commands in it.',
  readonly: 'Read and run commands only: do not change any file.',
} as const;

/** The agent's system message, a function of the context variables (Swarm-style). */
export function agentInstructions(context: ContextVariables, workspace: string): string {
  const parts = [
    context.base_prompt.trim(),
    `You work in the repository at ${workspace} (profile: ${context.profile}). ${PROFILE_RULES[context.profile]} Your one tool, codex_exec, runs the Codex coding agent there with the instructions you give it: give it the complete task, then answer with a short summary of what was done.`,
  ];
  if (context.pattern_block.trim()) {
    parts.push(
      'A reference workflow that solved a similar task in this project before. Follow it where it fits, adapting its variables (files, line ranges, substitutions) to this task:',
      context.pattern_block.trim(),
    );
  }
  return parts.join('\n\n');
}

/** What Codex itself is told besides the task: the injected pattern, if any. */
export function codexDeveloperInstructions(context: ContextVariables): string | null {
  if (!context.pattern_block.trim()) return null;
  return `A reference workflow that solved a similar task before. Follow it where it fits, adapting its variables to this task:\n${context.pattern_block.trim()}`;
}

export const CODEX_EXEC_TOOL = {
  type: 'function',
  function: {
    name: 'codex_exec',
    description:
      'Run the Codex coding agent in the workspace with these instructions. Returns JSON {ok, summary, filesTouched, error}.',
    parameters: {
      type: 'object',
      properties: { instructions: { type: 'string', description: 'The complete task for Codex.' } },
      required: ['instructions'],
      additionalProperties: false,
    },
  },
} as const;
