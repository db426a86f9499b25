import { findVariables } from '@retrace/patterns';

/** Below this score a pattern is not offered, and autoLearn injects nothing: a weak match is no match. */
export const SUGGESTION_THRESHOLD = 0.5;

/** What a pattern is matched on. */
export interface MatchTarget {
  /** Its source runs' prompts: words to match, not values it holds (a replay's prompt names what it replaced). */
  prompts: string[];
  /** Its steps and its variables' values: what a replay can replace. */
  held: string[];
  /** File paths its steps and variables name. */
  files: string[];
}

export interface Match {
  /** In [0, 1]: the mean of what the prompt offers to compare (values to replace, files, words). */
  score: number;
  reasons: string[];
}

// The plan language and the words of "repeat the workflow" say how, not what: they match nothing.
const STOPWORDS = new Set(
  (
    'the and for with that this from into onto then than them they their there these those what when where which ' +
    'while will would should could must can may might shall have has had was were are been being its it’s not but ' +
    'all any each every some other such only also just very more most less into over under about after before again ' +
    'run create edit delete replace replacing rename fail repeat reference workflow same steps step new file files ' +
    'please make sure use using show add write change update'
  ).split(' '),
);

const quote = (text: string) => `"${text}"`;

/** The "replacing A with B, C with D" of a prompt: what must be in the pattern, and what is new. */
function replacements(prompt: string): Array<{ from: string; to: string }> {
  const pairs: Array<{ from: string; to: string }> = [];
  for (const found of findVariables(prompt)) {
    if (found.kind !== 'substitution') continue;
    const [from = '', to = ''] = found.value.split(' → ');
    pairs.push({ from, to });
  }
  for (const line of prompt.split('\n')) {
    const after = /\breplacing\s+(.+)$/i.exec(line)?.[1];
    if (!after) continue;
    for (const part of after.split(/,\s*(?:and\s+)?/)) {
      const pair = /^("[^"]*"|'[^']*'|\S+)\s+with\s+("[^"]*"|'[^']*'|\S+)/.exec(part.trim());
      if (pair?.[1] && pair[2])
        pairs.push({ from: pair[1].replace(/^["']|["']$/g, ''), to: pair[2].replace(/^["']|["']$/g, '') });
    }
  }
  return pairs;
}

const filesOf = (text: string) => [
  ...new Set(findVariables(text).flatMap((v) => (v.kind === 'file' ? [v.value] : []))),
];

const folderOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const extensionOf = (path: string) => path.slice(path.lastIndexOf('.') + 1).toLowerCase();

/** 1 for the same path; a file like it (same folder and kind) counts for much, the same kind alone for a little. */
function fileLikeness(file: string, known: string[]): number {
  let best = 0;
  for (const other of known) {
    if (other === file) return 1;
    const sameKind = extensionOf(other) === extensionOf(file);
    if (sameKind && folderOf(other) === folderOf(file)) best = Math.max(best, 0.75);
    else if (sameKind) best = Math.max(best, 0.4);
  }
  return best;
}

function wordsOf(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}][\p{L}\p{N}_-]{2,}/gu) ?? [];
  return [...new Set(words.filter((word) => !STOPWORDS.has(word)))];
}

/** How well a pattern fits a prompt, and why: a score in [0, 1] and the reasons behind it. */
export function matchPrompt(prompt: string, target: MatchTarget): Match {
  const pairs = replacements(prompt);
  const held = target.held.join('\n');
  // A replay of values the pattern does not hold cannot do what was asked.
  const missing = pairs.filter((pair) => !held.includes(pair.from));
  if (missing.length > 0) {
    return { score: 0, reasons: [`holds no ${missing.map((p) => quote(p.from)).join(', ')} to replace`] };
  }
  const named = new Set(pairs.flatMap((pair) => [pair.from, pair.to]));
  const files = filesOf(prompt).filter((file) => !named.has(file));
  const words = wordsOf(
    files.reduce(
      (text, file) => text.split(file).join(' '),
      [...named].reduce((text, v) => text.split(v).join(' '), prompt),
    ),
  );
  const parts: number[] = [];
  const reasons: string[] = [];
  if (pairs.length > 0) {
    parts.push(1);
    reasons.push(`holds ${pairs.map((p) => quote(p.from)).join(', ')}`);
  }
  if (files.length > 0) {
    const likeness = files.map((file) => fileLikeness(file, target.files));
    parts.push(likeness.reduce((a, b) => a + b, 0) / files.length);
    const same = files.filter((_, i) => likeness[i] === 1);
    const alike = files.filter((_, i) => (likeness[i] ?? 0) > 0 && likeness[i] !== 1);
    if (same.length > 0) reasons.push(`the same files: ${same.join(', ')}`);
    if (alike.length > 0) reasons.push(`files like its own: ${alike.join(', ')}`);
  }
  if (words.length > 0) {
    const known = new Set(wordsOf([...target.prompts, held].join('\n')));
    const shared = words.filter((word) => known.has(word));
    parts.push(shared.length / words.length);
    if (shared.length > 0) reasons.push(`words it knows: ${shared.slice(0, 8).join(', ')}`);
  }
  const score = parts.length > 0 ? parts.reduce((a, b) => a + b, 0) / parts.length : 0;
  return { score: Math.round(score * 1000) / 1000, reasons };
}
