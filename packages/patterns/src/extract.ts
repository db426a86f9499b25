import { type Candidate, candidatesOf } from './candidates';
import { mergeRuns, placeSlots, type SlotVariable } from './merge';
import { normalizeInstruction } from './normalize';
import { loadTokenCounter, type TokenCounter } from './tokens';
import type { Pattern, PatternSource, PatternVariable } from './types';
import { type Found, findVariables } from './variables';
import { type BlockStep, renderBlock } from './xml';

/** Bump when the block for the same input changes: caches of patterns key on it. */
export const EXTRACTOR_VERSION = '5';

export interface ExtractOptions {
  /** At most this many steps (default 12). */
  maxSteps?: number;
  /** At most this many o200k tokens in the block (default 600). */
  maxTokens?: number;
  /** At most this many variables listed (default: as many as fit). */
  maxVariables?: number;
  /**
   * What went wrong in runs given this pattern, newest first, normalized and redacted by the
   * caller: the first three that fit go into the block, given up before any step is.
   */
  pitfalls?: string[];
}

interface Draft {
  steps: Candidate[];
  whys: Set<Candidate>;
  maxVariables: number;
  task: string | undefined;
  pitfalls: string[];
}

/** At most this many pitfalls in a block. */
const MAX_PITFALLS = 3;

/** The values in a kept text; where the text was cut, one that runs into the cut is only part of one. */
function wholeValuesIn(text: string): Found[] {
  const found = findVariables(text);
  if (!text.endsWith('…')) return found;
  return found.filter((f) => f.at + f.length < text.length - 1);
}

/** The file, range and substitution values the kept texts (steps and their kept whys) mention. */
function literalVariables(
  steps: Candidate[],
  whys: Set<Candidate>,
  slots: SlotVariable[],
): Array<PatternVariable & { rank: number }> {
  const counts = new Map<
    string,
    { kind: PatternVariable['kind']; value: string; count: number; first: number }
  >();
  let order = 0;
  // Instructions before whys: a why that fits later does not rename the instructions' variables.
  const texts = [
    ...steps.map((step) => step.instruction),
    ...steps.flatMap((step) => (whys.has(step) && step.why ? [step.why] : [])),
  ];
  for (const text of texts) {
    for (const found of wholeValuesIn(text)) {
      if (found.value.includes('{{')) continue;
      const key = `${found.kind}\u0000${found.value}`;
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { kind: found.kind, value: found.value, count: 1, first: order++ });
    }
  }
  const taken = new Set(slots.map((s) => s.name));
  const numbers: Record<string, number> = {};
  // Named and listed in order of first appearance; `rank` says which to give up first.
  return [...counts.values()].map((entry) => {
    let n = (numbers[entry.kind] ?? 0) + 1;
    while (taken.has(`${entry.kind}_${n}`)) n++;
    numbers[entry.kind] = n;
    return {
      name: `${entry.kind}_${n}`,
      kind: entry.kind,
      value: entry.value,
      rank: entry.count * 1000 - entry.first,
    };
  });
}

function variablesFor(draft: Draft, slots: SlotVariable[]): PatternVariable[] {
  const used = slots.filter((slot) => draft.steps.some((s) => s.instruction.includes(`{{${slot.name}}}`)));
  const literal = literalVariables(draft.steps, draft.whys, slots);
  // Over the limit: the least mentioned go first; slot variables (values that differ between runs) stay.
  const keep = new Set(
    [...literal].sort((a, b) => b.rank - a.rank).slice(0, Math.max(0, draft.maxVariables - used.length)),
  );
  return [...used, ...literal.filter((v) => keep.has(v)).map(({ rank: _rank, ...v }) => v)];
}

function render(
  draft: Draft,
  slots: SlotVariable[],
  truncated: boolean,
): { block: string; variables: PatternVariable[] } {
  const variables = variablesFor(draft, slots);
  const steps: BlockStep[] = draft.steps.map((step, i) => ({
    n: i + 1,
    kind: step.kind,
    instruction: step.instruction,
    why: draft.whys.has(step) ? step.why : undefined,
  }));
  return {
    block: renderBlock({ task: draft.task, steps, variables, pitfalls: draft.pitfalls, truncated }),
    variables,
  };
}

/** The step to give up first: the lowest score, the earliest of equals. */
function weakest(steps: Candidate[]): Candidate | undefined {
  let pick: Candidate | undefined;
  for (const step of steps) if (!pick || step.score < pick.score) pick = step;
  return pick;
}

/**
 * Distils successful runs into a `<reference_workflow>` block: the steps that solved the
 * task — reproduce, locate, change, verify — and what went wrong when runs were given it
 * before (`options.pitfalls`), within 12 steps and 600 o200k tokens.
 * Pure and deterministic: the same sources and pitfalls give the same block, byte for byte.
 * Async only because the first call loads the tokenizer.
 */
export async function extractPattern(
  sources: PatternSource[],
  options: ExtractOptions = {},
): Promise<Pattern> {
  return distil(sources, options, await loadTokenCounter());
}

function distil(sources: PatternSource[], options: ExtractOptions, countTokens: TokenCounter): Pattern {
  const maxSteps = options.maxSteps ?? 12;
  const maxTokens = options.maxTokens ?? 600;
  const perRun = sources.map(candidatesOf);
  const merged =
    sources.length > 1 ? mergeRuns(perRun) : (perRun[0] ?? []).map((c) => ({ ...c, words: [], slots: [] }));
  const slots = sources.length > 1 ? placeSlots(merged) : [];
  const candidates: Candidate[] = merged;

  // Keep the highest-scored steps, in workflow order.
  const ranked = [...candidates].sort(
    (a, b) => b.score - a.score || candidates.indexOf(a) - candidates.indexOf(b),
  );
  const chosen = new Set(ranked.slice(0, maxSteps));
  const prompt = sources.find((s) => s.prompt?.trim())?.prompt;
  const draft: Draft = {
    steps: candidates.filter((c) => chosen.has(c)),
    whys: new Set(),
    maxVariables: options.maxVariables ?? Number.POSITIVE_INFINITY,
    task: prompt ? normalizeInstruction(prompt).text || undefined : undefined,
    pitfalls: (options.pitfalls ?? [])
      .map((pitfall) => normalizeInstruction(pitfall).text)
      .filter((pitfall) => pitfall !== '')
      .slice(0, MAX_PITFALLS),
  };
  const offeredPitfalls = draft.pitfalls.length;
  // Anything cut to fit: a step, the end of an instruction, a variable, a pitfall.
  const isTruncated = () =>
    draft.pitfalls.length < offeredPitfalls ||
    draft.steps.length < candidates.length ||
    draft.steps.some((s) => s.cut) ||
    variablesFor(draft, slots).length <
      variablesFor({ ...draft, maxVariables: Number.POSITIVE_INFINITY }, slots).length;

  // The cap must hold at least a workflow with nothing in it, or nothing could ever fit.
  const empty = countTokens(
    render({ ...draft, steps: [], task: undefined, maxVariables: 0, pitfalls: [] }, slots, true).block,
  );
  if (maxTokens < empty)
    throw new RangeError(
      `maxTokens is ${maxTokens}, below the ${empty} tokens of an empty <reference_workflow>`,
    );

  // Over the token cap: list fewer variables (down to 3), give up pitfalls (the oldest first),
  // then drop the weakest steps, then the task.
  let result = render(draft, slots, isTruncated());
  while (countTokens(result.block) > maxTokens) {
    if (draft.maxVariables > 3 && result.variables.length > 3)
      draft.maxVariables = result.variables.length - 1;
    else if (draft.pitfalls.length > 0) draft.pitfalls = draft.pitfalls.slice(0, -1);
    else if (draft.steps.length > 1) draft.steps = draft.steps.filter((s) => s !== weakest(draft.steps));
    else if (draft.task) draft.task = undefined;
    else if (result.variables.length > 0) draft.maxVariables = result.variables.length - 1;
    else draft.steps = [];
    result = render(draft, slots, isTruncated());
  }

  // Spare tokens: say why the most important steps were taken.
  for (const step of [...draft.steps].sort(
    (a, b) => b.score - a.score || draft.steps.indexOf(a) - draft.steps.indexOf(b),
  )) {
    if (!step.why) continue;
    draft.whys.add(step);
    const attempt = render(draft, slots, isTruncated());
    if (countTokens(attempt.block) <= maxTokens) result = attempt;
    else draft.whys.delete(step);
  }

  return {
    block: result.block,
    steps: draft.steps.map((step, i) => ({
      n: i + 1,
      kind: step.kind,
      instruction: step.instruction,
      sourceRunId: step.sourceRunId,
      sourceSeq: step.sourceSeq,
    })),
    variables: result.variables,
    pitfalls: draft.pitfalls,
    tokenCount: countTokens(result.block),
    truncated: isTruncated(),
  };
}
