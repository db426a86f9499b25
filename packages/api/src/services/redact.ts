/**
 * Secrets never land in stored steps, events or artifacts. Known values (the server's own
 * tokens and keys) are replaced wherever they appear; common key formats are caught by shape.
 */
// Each shape with the literals it cannot match without: a plain substring search (fast on
// 50 KB of command output) decides whether the regex runs at all.
const KEY_PATTERNS: Array<[string[], RegExp]> = [
  [['sk-'], /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g], // OpenAI (and sk-ant-, Anthropic)
  [['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], /\bgh[pousr]_[A-Za-z0-9]{30,}/g], // GitHub
  [['github_pat_'], /\bgithub_pat_[A-Za-z0-9_]{40,}/g],
  [['glpat-'], /\bglpat-[A-Za-z0-9_-]{20,}/g], // GitLab
  // Slack. Not 'xox': V8's search for a literal crawls over text full of its first letter.
  [['oxa-', 'oxb-', 'oxo-', 'oxp-', 'oxr-', 'oxs-'], /\bxox[abposr]-[A-Za-z0-9-]{10,}/g],
  [['AKIA'], /\bAKIA[0-9A-Z]{16}\b/g], // AWS access key id
  [['AIza'], /\bAIza[0-9A-Za-z_-]{35}\b/g], // Google API key
  [['npm_'], /\bnpm_[A-Za-z0-9]{36}\b/g],
  [['PRIVATE KEY-----'], /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g],
];
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const ASSIGNMENT = /\b([A-Z0-9_]*(?:API_KEY|SECRET|TOKEN|PASSWORD)[A-Z0-9_]*\s*[=:]\s*)(["']?)[^\s"']{6,}\2/g;

const ASSIGNMENT_WORDS = ['API_KEY', 'SECRET', 'TOKEN', 'PASSWORD'];

export const REDACTED = '[REDACTED]';

export type Redactor = (text: string) => string;

export function createRedactor(knownSecrets: Array<string | undefined> = []): Redactor {
  // Longest first, so a secret that contains another is replaced whole.
  const known = knownSecrets
    .filter((s): s is string => typeof s === 'string' && s.length >= 6)
    .sort((a, b) => b.length - a.length);
  // Every recorded line passes through here, some of them 50 KB of command output: a pattern
  // runs only where its literal occurs.
  return (text) => {
    let out = text;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const [literals, pattern] of KEY_PATTERNS)
      if (literals.some((l) => out.includes(l))) out = out.replace(pattern, REDACTED);
    if (/bearer/i.test(out)) out = out.replace(BEARER, `$1${REDACTED}`);
    if (ASSIGNMENT_WORDS.some((w) => out.includes(w))) out = out.replace(ASSIGNMENT, `$1$2${REDACTED}$2`);
    return out;
  };
}

/**
 * Applies a redactor to every string inside a JSON-like value. What holds no secret comes
 * back as it was, not copied: most of a run's output has none.
 */
export function redactValue<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) {
    const clean = value.map((v) => redactValue(v, redact));
    return (clean.some((v, i) => v !== value[i]) ? clean : value) as T;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const clean = entries.map(([k, v]) => [k, redactValue(v, redact)] as const);
    return (clean.some(([, v], i) => v !== entries[i]?.[1]) ? Object.fromEntries(clean) : value) as T;
  }
  return value;
}
