import type { StepKind } from '@retrace/protocol';
import { ROLE_SCORE, roleOf, type StepRole } from './classify';
import { normalizeInstruction } from './normalize';
import type { PatternSource } from './types';
import { findVariables } from './variables';
import { whyFrom } from './why';

/** Assistant and tool steps: what a workflow is made of. Reasoning, todo lists and errors are not. */
export const KEPT_KINDS: ReadonlySet<StepKind> = new Set([
  'agent_message',
  'command',
  'file_change',
  'tool_call',
  'web_search',
]);

export interface Candidate {
  kind: StepKind;
  instruction: string;
  /** The instruction was longer than 160 characters and was cut. */
  cut: boolean;
  sourceRunId: string;
  sourceSeq: number;
  role: StepRole;
  score: number;
  /** The agent's message just before the step: why it was taken. */
  why?: string | undefined;
  /** How many source runs had this step (several sources only). */
  runs: number;
}

// Commands that change files without a file_change item.
const WRITES_FILES = /\bsed -i\b|\btee\b|(^|[^0-9&>])>{1,2}\s*[\w./]/;

/**
 * One run's usable steps, in order: successful assistant and tool steps with normalized
 * instructions, consecutive duplicates collapsed, the messages before a tool step folded
 * into it as that step's "why". A run of messages only keeps its messages as steps.
 */
export function candidatesOf(source: PatternSource): Candidate[] {
  const ordered = [...source.steps].sort((a, b) => a.seq - b.seq);
  const tools: Candidate[] = [];
  const messages: Candidate[] = [];
  const seen = new Set<string>();
  let pendingMessages: string[] = [];
  let changed = false;
  for (const step of ordered) {
    if (!KEPT_KINDS.has(step.kind) || !step.outcomeOk) continue;
    const { text, cut } = normalizeInstruction(step.instruction);
    if (text === '') continue;
    const base = {
      kind: step.kind,
      instruction: text,
      cut,
      sourceRunId: source.runId,
      sourceSeq: step.seq,
      runs: 1,
    };
    if (step.kind === 'agent_message') {
      if (messages.at(-1)?.instruction !== text)
        messages.push({ ...base, role: 'message', score: ROLE_SCORE.message });
      pendingMessages.push(step.instruction);
      continue;
    }
    const previous = tools.at(-1);
    if (previous && previous.kind === step.kind && previous.instruction === text) continue;
    const role = roleOf(step.kind, text, changed);
    // A step repeated later (a second "ls") tells less than its first time, unless it checks a change.
    const repeat = seen.has(`${step.kind}\u0000${text}`) && role !== 'verify' && role !== 'change' ? 10 : 0;
    tools.push({ ...base, role, score: ROLE_SCORE[role] - repeat, why: whyFrom(pendingMessages) });
    seen.add(`${step.kind}\u0000${text}`);
    pendingMessages = [];
    if (step.kind === 'file_change' || (step.kind === 'command' && WRITES_FILES.test(text))) changed = true;
  }
  if (tools.length === 0) return messages;
  markFinalChangeAndCheck(tools);
  markReadsOfChangedFiles(tools);
  // Handing the task to Codex adds nothing when Codex's own steps are there.
  const hasCodexSteps = tools.some((c) => c.kind === 'command' || c.kind === 'file_change');
  return hasCodexSteps ? tools.filter((c) => c.role !== 'delegate') : tools;
}

/** Reading a file that is changed later is how the agent found the place to change: worth more. */
function markReadsOfChangedFiles(tools: Candidate[]): void {
  // From the end, so each read is checked against the changes after it alone: linear in the
  // steps (times the changes), not quadratic, for a 10,000-step run.
  const laterChanges: string[] = [];
  for (let index = tools.length - 1; index >= 0; index--) {
    const step = tools[index] as Candidate;
    if (step.role === 'change') {
      laterChanges.push(step.instruction);
      continue;
    }
    if ((step.role !== 'inspect' && step.role !== 'locate') || laterChanges.length === 0) continue;
    const files = findVariables(step.instruction)
      .filter((v) => v.kind === 'file')
      .map((v) => v.value.replace(/^\.\//, ''));
    if (laterChanges.some((change) => files.some((file) => change.includes(file)))) step.score += 20;
  }
}

/** The last change and the first check after it are the heart of the workflow. */
function markFinalChangeAndCheck(tools: Candidate[]): void {
  const lastChange = tools.findLastIndex((c) => c.role === 'change');
  if (lastChange === -1) return;
  const change = tools[lastChange];
  if (change) change.score += 5;
  const check = tools.slice(lastChange + 1).find((c) => c.role === 'verify');
  if (check) check.score += 5;
}
