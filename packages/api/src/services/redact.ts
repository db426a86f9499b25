import { mapStrings } from './map-strings';

/**
 * Secrets never land in stored steps, events or artifacts. Known values (the server's own
 * tokens and keys) are replaced wherever they appear; common key formats are caught by shape.
 */
// Each shape with the text it cannot match without: one regex of all of them decides whether
// a string (often 50 KB of command output) needs the shapes at all. Not String#includes per
// literal: V8's search crawls over text full of a literal's first letter (2 ms per 50 KB of
// 'o's for 'oxb-'), where one regex pass stays near 1 ns a character on any text.
const KEY_PATTERNS: Array<[string, RegExp]> = [
  ['sk-', /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g], // OpenAI (and sk-ant-, Anthropic)
  ['gh[pousr]_', /\bgh[pousr]_[A-Za-z0-9]{30,}/g], // GitHub
  ['github_pat_', /\bgithub_pat_[A-Za-z0-9_]{40,}/g],
  ['glpat-', /\bglpat-[A-Za-z0-9_-]{20,}/g], // GitLab
  ['xox[abposr]-', /\bxox[abposr]-[A-Za-z0-9-]{10,}/g], // Slack
  ['AKIA', /\bAKIA[0-9A-Z]{16}\b/g], // AWS access key id
  ['AIza', /\bAIza[0-9A-Za-z_-]{35}\b/g], // Google API key
  ['npm_', /\bnpm_[A-Za-z0-9]{36}\b/g],
  ['PRIVATE KEY-----', /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g],
];
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const ASSIGNMENT = /\b([A-Z0-9_]*(?:API_KEY|SECRET|TOKEN|PASSWORD)[A-Z0-9_]*\s*[=:]\s*)(["']?)[^\s"']{6,}\2/g;
// Only the bearer shape ignores case, so only its hint must: the case-insensitive scan is the
// fastest V8 runs over this set, and a second, exact one keeps text that merely says "token"
// or "secret" (much code and prose) off the full path of ten more passes.
const SHAPE_HINTS = KEY_PATTERNS.map(([hint]) => hint);
const WORD_HINTS = ['API_KEY', 'SECRET', 'TOKEN', 'PASSWORD'];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const REDACTED = '[REDACTED]';

export type Redactor = (text: string) => string;

export function createRedactor(knownSecrets: Array<string | undefined> = []): Redactor {
  // Each also as JSON spells it inside a string (a quote, backslash or control character
  // escaped): raw Codex lines and JSON artifacts are checked as text. Longest first, so a
  // secret that contains another is replaced whole.
  const given = knownSecrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const known = [...new Set(given.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))].sort(
    (a, b) => b.length - a.length,
  );
  const literals = known.map(escapeRegExp);
  const mightHold = new RegExp([...literals, ...SHAPE_HINTS, 'bearer', ...WORD_HINTS].join('|'), 'i');
  // Known values are replaced as they are spelt, so they are looked for so.
  const holds = new RegExp(
    [...literals, ...SHAPE_HINTS, '[Bb][Ee][Aa][Rr][Ee][Rr]', ...WORD_HINTS].join('|'),
  );
  return (text) => {
    if (!mightHold.test(text) || !holds.test(text)) return text;
    let out = text;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const [, pattern] of KEY_PATTERNS) out = out.replace(pattern, REDACTED);
    out = out.replace(BEARER, `$1${REDACTED}`);
    return out.replace(ASSIGNMENT, `$1$2${REDACTED}$2`);
  };
}

/** Applies a redactor to every string inside a JSON-like value; what holds no secret is not copied. */
export function redactValue<T>(value: T, redact: Redactor): T {
  return mapStrings(value, redact);
}
