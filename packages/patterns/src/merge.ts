import type { Candidate } from './candidates';
import { cutText, MAX_INSTRUCTION_CHARS } from './normalize';
import type { VariableKind } from './types';

/** A step as it recurs across several runs; `values[i]` are the differing words of run i. */
export interface MergedCandidate extends Candidate {
  /** Word positions whose text differs between runs, with each run's word there. */
  slots: Array<{ position: number; values: string[] }>;
  words: string[];
}

const words = (text: string) => text.split(' ');

/** Two steps are the same step of the workflow if they differ in at most two words of the same sentence. */
function alike(a: MergedCandidate, b: Candidate): boolean {
  if (a.kind !== b.kind) return false;
  if (a.instruction === b.instruction) return true;
  const other = words(b.instruction);
  if (other.length !== a.words.length || other.length < 2) return false;
  let differing = 0;
  for (let i = 0; i < other.length; i++) if (other[i] !== a.words[i]) differing++;
  return differing <= Math.min(2, Math.floor(other.length / 2));
}

function lift(c: Candidate): MergedCandidate {
  return { ...c, words: words(c.instruction), slots: [] };
}

/** Longest common subsequence of two step lists under `alike`: the steps both runs took, in order. */
function align(left: MergedCandidate[], right: Candidate[]): Array<[number, number]> {
  const rows = left.length;
  const cols = right.length;
  const table = Array.from({ length: rows + 1 }, () => new Uint16Array(cols + 1));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      const below = table[i + 1] as Uint16Array;
      const here = table[i] as Uint16Array;
      here[j] = alike(left[i] as MergedCandidate, right[j] as Candidate)
        ? (below[j + 1] as number) + 1
        : Math.max(below[j] as number, here[j + 1] as number);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < rows && j < cols) {
    const here = table[i] as Uint16Array;
    const below = table[i + 1] as Uint16Array;
    if (
      alike(left[i] as MergedCandidate, right[j] as Candidate) &&
      here[j] === (below[j + 1] as number) + 1
    ) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if ((below[j] as number) >= (here[j + 1] as number)) i++;
    else j++;
  }
  return pairs;
}

function absorb(into: MergedCandidate, step: Candidate): void {
  const other = words(step.instruction);
  const earlierRuns = into.runs;
  into.runs += 1;
  into.score = Math.max(into.score, step.score);
  into.cut ||= step.cut;
  into.why ??= step.why;
  for (let position = 0; position < into.words.length; position++) {
    const word = other[position] ?? '';
    let slot = into.slots.find((s) => s.position === position);
    if (!slot && word !== into.words[position]) {
      // The runs merged so far all had the first run's word here.
      slot = { position, values: Array<string>(earlierRuns).fill(into.words[position] ?? '') };
      into.slots.push(slot);
    }
    slot?.values.push(word);
  }
}

/**
 * Merges the steps of several runs: a step that recurs is kept once (scored higher the
 * more runs took it); words that differ between runs become slots for variables.
 */
export function mergeRuns(runs: Candidate[][]): MergedCandidate[] {
  let merged = (runs[0] ?? []).map(lift);
  for (const steps of runs.slice(1)) {
    const pairs = align(merged, steps);
    const next: MergedCandidate[] = [];
    let i = 0;
    let j = 0;
    for (const [pi, pj] of [...pairs, [merged.length, steps.length] as [number, number]]) {
      while (i < pi) next.push(merged[i++] as MergedCandidate);
      while (j < pj) next.push(lift(steps[j++] as Candidate));
      if (pi < merged.length && pj < steps.length) {
        const into = merged[pi] as MergedCandidate;
        absorb(into, steps[pj] as Candidate);
        next.push(into);
        i++;
        j++;
      }
    }
    merged = next;
  }
  for (const step of merged) step.score += 15 * (step.runs - 1);
  return merged;
}

export interface SlotVariable {
  name: string;
  kind: VariableKind;
  value: string;
}

function sharedPunctuation(values: string[]): [string, string[], string] {
  const lead = (v: string) => /^[("'`[]*/.exec(v)?.[0] ?? '';
  const trail = (v: string) => /[)"'`\],;:.]*$/.exec(v)?.[0] ?? '';
  const before = values.every((v) => lead(v) === lead(values[0] ?? '')) ? lead(values[0] ?? '') : '';
  const after = values.every((v) => trail(v) === trail(values[0] ?? '')) ? trail(values[0] ?? '') : '';
  return [before, values.map((v) => v.slice(before.length, v.length - after.length)), after];
}

function kindOfValues(values: string[]): VariableKind {
  if (values.every((v) => /^\d+([:,-]\d+)?$/.test(v))) return 'range';
  if (values.every((v) => /[\w-]\.[A-Za-z][A-Za-z0-9]*$/.test(v) || v.includes('/'))) return 'file';
  return 'substitution';
}

/**
 * Writes `{{name}}` into each merged step where the runs differed, one variable per distinct
 * set of values (the same values in two steps are the same variable). Values are listed
 * in the order of the runs that took the step, separated by " | ".
 */
export function placeSlots(steps: MergedCandidate[]): SlotVariable[] {
  const variables: SlotVariable[] = [];
  const byValues = new Map<string, SlotVariable>();
  const counters: Record<VariableKind, number> = { file: 0, range: 0, substitution: 0 };
  for (const step of steps) {
    if (step.slots.length === 0) continue;
    const text = [...step.words];
    for (const slot of [...step.slots].sort((a, b) => a.position - b.position)) {
      // Punctuation around the word that all runs share stays in the text: "{{file_1}}:".
      const [before, cores, after] = sharedPunctuation(slot.values);
      const value = cores.join(' | ');
      let variable = byValues.get(value);
      if (!variable) {
        const kind = kindOfValues(cores);
        counters[kind] += 1;
        variable = { name: `${kind === 'substitution' ? 'value' : kind}_${counters[kind]}`, kind, value };
        byValues.set(value, variable);
        variables.push(variable);
      }
      text[slot.position] = `${before}{{${variable.name}}}${after}`;
    }
    // Values can be longer than the shared words they replace: the 160-character cap again,
    // never leaving half a placeholder.
    const { text: capped, cut } = cutText(text.join(' '), MAX_INSTRUCTION_CHARS);
    step.instruction = cut ? capped.replace(/\{\{[^}]*\}?…$/, '…') : capped;
    step.cut ||= cut;
  }
  return variables;
}
