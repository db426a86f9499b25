import { EVENT_PAYLOAD_PREVIEW_CHARS } from './limits';

type Budget = { left: number };

/** A string this short is kept whole even once the budget is spent: a status, a path, a name. */
const SHORT_STRING = 200;

/**
 * A payload cut to about `EVENT_PAYLOAD_PREVIEW_CHARS` of its text, in its own shape: long
 * strings are cut (with `…`) and lists shortened once the budget is spent, while every key,
 * number and short string stays. A command's output is then still its output, only its start.
 */
function cutToFit(value: unknown, budget: Budget): unknown {
  if (typeof value === 'string') {
    if (value.length <= Math.max(budget.left, SHORT_STRING)) {
      budget.left -= value.length;
      return value;
    }
    const cut = `${value.slice(0, Math.max(0, budget.left))}…`;
    budget.left = 0;
    return cut;
  }
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const item of value) {
      if (budget.left <= 0) break;
      kept.push(cutToFit(item, budget));
      budget.left -= 1;
    }
    return kept;
  }
  if (value !== null && typeof value === 'object') {
    const kept: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) kept[key] = cutToFit(item, budget);
    return kept;
  }
  return value;
}

/**
 * The payload a step's event carries: whole when its JSON (`payloadText`, serialised once
 * by the caller) is short, else cut to fit and marked `truncated`. The full payload stays in
 * the run's steps.
 */
export function previewPayload(payload: unknown, payloadText: string | null): unknown {
  if (payloadText === null || payloadText.length <= EVENT_PAYLOAD_PREVIEW_CHARS) return payload;
  const cut = cutToFit(payload, { left: EVENT_PAYLOAD_PREVIEW_CHARS });
  return cut !== null && typeof cut === 'object' && !Array.isArray(cut)
    ? { ...cut, truncated: true }
    : { preview: cut, truncated: true };
}
