/** Counts tokens as OpenAI's current models (o200k_base) do. */
export type TokenCounter = (text: string) => number;

// Text that happens to spell a special token ("<|endoftext|>") is counted as the text it is.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

let loading: Promise<TokenCounter> | null = null;

/**
 * The o200k_base counter, loaded on first use: its ranks cost a process about 50 MB resident,
 * and a server that records runs but is never asked for a pattern should not hold them.
 */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then(
    ({ countTokens }) =>
      (text: string) =>
        countTokens(text, AS_PLAIN_TEXT),
  );
  return loading;
}
