import type { StepKind } from '@retrace/protocol';
import type { PatternVariable } from './types';

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

export interface BlockStep {
  n: number;
  kind: StepKind;
  instruction: string;
  /** What the step is for, folded in from the agent's message before it. */
  why?: string | undefined;
}

export interface BlockContent {
  task?: string | undefined;
  steps: BlockStep[];
  variables: PatternVariable[];
  /** What went wrong when runs were given this workflow before: one line each. */
  pitfalls: string[];
  truncated: boolean;
}

/**
 * The `<reference_workflow>` block: one element per line, no indentation (every byte is
 * paid for in tokens), attributes in a fixed order so the output is byte-for-byte stable.
 */
export function renderBlock({ task, steps, variables, pitfalls, truncated }: BlockContent): string {
  const lines = [`<reference_workflow version="1" steps="${steps.length}" truncated="${truncated}">`];
  if (task) lines.push(`<task>${escapeText(task)}</task>`);
  if (variables.length > 0) {
    lines.push('<variables>');
    for (const v of variables) {
      lines.push(`<var name="${escapeAttribute(v.name)}" kind="${v.kind}">${escapeText(v.value)}</var>`);
    }
    lines.push('</variables>');
  }
  lines.push('<steps>');
  for (const step of steps) {
    const why = step.why ? ` why="${escapeAttribute(step.why)}"` : '';
    lines.push(`<step n="${step.n}" kind="${step.kind}"${why}>${escapeText(step.instruction)}</step>`);
  }
  lines.push('</steps>');
  if (pitfalls.length > 0) {
    lines.push('<pitfalls>');
    for (const pitfall of pitfalls) lines.push(`<pitfall>${escapeText(pitfall)}</pitfall>`);
    lines.push('</pitfalls>');
  }
  lines.push('</reference_workflow>');
  return lines.join('\n');
}
