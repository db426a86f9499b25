import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

// Text that happens to spell a special token ("<|endoftext|>") is counted as the text it is.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens as OpenAI's current models (o200k_base) count them. */
export function countTokens(text: string): number {
  return countO200k(text, AS_PLAIN_TEXT);
}
