import type { VariableKind } from './types';

export interface Found {
  kind: VariableKind;
  value: string;
  /** Where the text the value was read from sits in the instruction. */
  at: number;
  length: number;
}

// Extensions a bare file name (no folder) must have to count: keeps "e.g." and "Node.js"-style prose out.
const KNOWN_EXTENSIONS = new Set(
  (
    'ts tsx mts cts js jsx mjs cjs json jsonc py pyi ipynb md mdx rst txt csv tsv yml yaml toml ini cfg conf env ' +
    'rs go java kt kts scala c h cc cpp cxx hpp hh cs fs rb php pl pm lua r jl dart swift m mm ex exs erl hrl hs ' +
    'clj sql sh bash zsh fish ps1 bat html htm css scss sass less vue svelte astro xml svg lock gradle properties ' +
    'proto graphql gql tf hcl nix patch diff log dockerfile makefile cmake mk ini pem crt'
  ).split(' '),
);
const PROSE_NAMES = /^(node|vue|next|nuxt|react|express|three|chart|d3|moment|angular|ember|backbone)\.js$/i;

// A path: optional ./ ../ or /, folders, a name with an extension; optionally :line or :start-end.
const FILE =
  /(?<![\w@$%/.-])((?:\.{1,2}\/|\/)?(?:[\w@+-][\w@+.-]*\/)*[\w@+-][\w@+.-]*\.([A-Za-z][A-Za-z0-9]{0,9}))(?::(\d+)(?:[-:](\d+))?)?(?![\w/])/g;
const URL = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

const RANGES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/\blines? (\d+)\s*(?:-|–|to|through)\s*(\d+)\b/gi, (m) => `${m[1]}-${m[2]}`],
  // L10-L20, or one line as a link anchor (#L42): a bare "L2" is prose ("the L2 cache").
  [/\bL(\d+)-L?(\d+)\b/g, (m) => `${m[1]}-${m[2]}`],
  [/#L(\d+)\b(?!-)/g, (m) => `${m[1]}`],
  [/\bsed -n ['"]?(\d+),(\d+)p/g, (m) => `${m[1]}-${m[2]}`],
  // SWE-agent's editor: "edit 287:296 file.py".
  [/^(?:edit|view) (\d+):(\d+)\b/g, (m) => `${m[1]}-${m[2]}`],
];

const SUBSTITUTIONS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  // sed-style s/old/new/ with any punctuation delimiter.
  [/(?<![\w])s([/|#,:])((?:\\.|(?!\1).)+)\1((?:\\.|(?!\1).)*)\1[gimI]*/g, (m) => `${m[2]} → ${m[3]}`],
  [
    /\breplace\s+("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`|\S+)\s+with\s+("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`|\S+)/gi,
    (m) => `${unquote(m[1])} → ${unquote(m[2])}`,
  ],
  [/\brename\s+(\S+)\s+to\s+(\S+)/gi, (m) => `${unquote(m[1])} → ${unquote(m[2])}`],
];

function unquote(text = ''): string {
  const quoted = /^(["'`])([\s\S]*)\1$/.exec(text);
  if (!quoted) return text;
  if (quoted[1] === '"') {
    try {
      return JSON.parse(text) as string;
    } catch {
      return quoted[2] ?? text;
    }
  }
  return quoted[2] ?? text;
}

// Abbreviations that look like a file name after a slash: "docs/e.g.", "and/or i.e.".
const PROSE_ABBREVIATIONS = /^(?:e\.g|i\.e|a\.k\.a|et\.al|n\.b)$/i;

function isFilePath(path: string, extension: string): boolean {
  if (PROSE_NAMES.test(path)) return false;
  if (PROSE_ABBREVIATIONS.test(path.slice(path.lastIndexOf('/') + 1))) return false;
  if (path.includes('/')) return true;
  return KNOWN_EXTENSIONS.has(extension.toLowerCase());
}

/** File paths, line ranges and substitutions mentioned in one instruction, in the order they appear. */
export function findVariables(instruction: string): Found[] {
  const found: Found[] = [];
  for (const [pattern, value] of SUBSTITUTIONS) {
    for (const m of instruction.matchAll(pattern)) {
      found.push({ kind: 'substitution', value: value(m), at: m.index, length: m[0].length });
    }
  }
  for (const [pattern, value] of RANGES) {
    for (const m of instruction.matchAll(pattern))
      found.push({ kind: 'range', value: value(m), at: m.index, length: m[0].length });
  }
  const withoutUrls = instruction.replace(URL, (url) => ' '.repeat(url.length));
  for (const m of withoutUrls.matchAll(FILE)) {
    const [, path = '', extension = '', line, end] = m;
    if (!isFilePath(path, extension)) continue;
    found.push({ kind: 'file', value: path, at: m.index, length: path.length });
    if (line)
      found.push({
        kind: 'range',
        value: end ? `${line}-${end}` : line,
        at: m.index + path.length,
        length: m[0].length - path.length,
      });
  }
  return found.sort((a, b) => a.at - b.at);
}
