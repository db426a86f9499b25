/** The longest instruction kept, in UTF-16 code units; longer ones are cut and end in "…". */
export const MAX_INSTRUCTION_CHARS = 160;

// Characters XML 1.0 cannot carry (C0 controls other than whitespace, U+FFFE/U+FFFF).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface Normalized {
  text: string;
  /** The text was longer than the limit and was cut. */
  cut: boolean;
}

/** Cuts to at most `max` code units, never between the two halves of a surrogate pair. */
export function cutText(text: string, max: number): Normalized {
  if (text.length <= max) return { text, cut: false };
  let end = max - 1; // room for the ellipsis
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: `${text.slice(0, end).trimEnd()}…`, cut: true };
}

/**
 * One line, at most 160 characters: trimmed, every run of whitespace a single space, and
 * nothing an XML document cannot hold (so the text survives the block unchanged).
 */
export function normalizeInstruction(raw: string, max = MAX_INSTRUCTION_CHARS): Normalized {
  const clean = raw.replace(LONE_SURROGATE, '\uFFFD').replace(NOT_XML, ' ').replace(/\s+/g, ' ').trim();
  return cutText(clean, max);
}
