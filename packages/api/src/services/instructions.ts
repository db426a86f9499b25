/**
 * The system instructions a run is given, as stored on the run for people to read: the
 * project's base prompt, the injected pattern (if the run learns from another), the task.
 */
export function composeSystemInstructions(
  basePrompt: string,
  patternBlock: string | null,
  prompt: string,
): string {
  const parts = [basePrompt.trim()];
  if (patternBlock) {
    parts.push(
      'A reference workflow that solved a similar task in this project before. Follow it where it fits, adapting its variables (files, line ranges, substitutions) to this task:',
      patternBlock,
    );
  }
  parts.push(`Task:\n${prompt}`);
  return parts.join('\n\n');
}
