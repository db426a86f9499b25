import { cutText, normalizeInstruction } from './normalize';

const OWN_INTENT = /\b(let's|let us|i will|i'll|i need|we will|we'll|we need|we should|we can|next step)\b/i;
const INTENT =
  /\b(need to|should|in order to|to (fix|find|check|see|verify|reproduce|locate|confirm|make|add|update|run|create|remove))\b/i;
const NOISE = /\b(syntax error|try (the|it|again)|again\b|mistake|did not|didn't|failed|apologi[sz]e)\b/i;

/** Sentence ends: . ! ? followed by space and a capital or quote (so "a.py" or "e.g. x" do not split). */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z`"'([])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Why the agent took a step, in one short sentence, from the messages it wrote before it:
 * the sentence that states an intent wins over narration of the last result or of retries.
 */
export function whyFrom(messages: string[], max = 100): string | undefined {
  let best: { text: string; score: number } | undefined;
  for (const message of messages) {
    for (const sentence of sentences(normalizeInstruction(message, 100_000).text)) {
      const score =
        (OWN_INTENT.test(sentence) ? 2 : 0) +
        (INTENT.test(sentence) ? 1 : 0) -
        (NOISE.test(sentence) ? 3 : 0);
      if (!best || score > best.score) best = { text: sentence, score };
    }
  }
  return best ? cutText(best.text, max).text : undefined;
}
