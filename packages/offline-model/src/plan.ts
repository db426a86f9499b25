/** What the offline model can be asked to do, one action per plan line. */
export type Action =
  | { type: 'run'; command: string }
  | { type: 'create'; path: string; content: string }
  | { type: 'edit'; path: string; old: string; new: string }
  | { type: 'delete'; path: string }
  | { type: 'fail'; reason: string };

export interface Replacement {
  from: string;
  to: string;
}

export type Plan =
  | { kind: 'actions'; actions: Action[] }
  | { kind: 'replay'; replacements: Replacement[] }
  | { kind: 'not_understood'; reason: string };

export const PLAN_LANGUAGE = [
  'run: <command>',
  'create <path>: followed by a fenced block (or create <path>: "<JSON string>")',
  'edit <path>: replace "<old>" with "<new>"',
  'delete <path>',
  'fail: <reason>',
  'Repeat the reference workflow, replacing <old> with <new>[, <old2> with <new2> ...]',
].join('\n');

const QUOTED = String.raw`("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\x60[^\x60]*\x60)`;
// A path is one word, or quoted with backticks or double quotes when it has spaces.
const PATH = String.raw`(\x60[^\x60]+\x60|"[^"]+"|[^\s:]+(?::(?!\s|$)[^\s:]*)*)`;
const EDIT = new RegExp(String.raw`^edit\s+${PATH}:\s*replace\s+${QUOTED}\s+with\s+${QUOTED}\s*$`, 'i');
const CREATE = new RegExp(String.raw`^create\s+${PATH}:\s*(.*)$`, 'i');
const DELETE = new RegExp(String.raw`^delete\s+${PATH}\s*$`, 'i');
const REPLAY = /^repeat the reference workflow\b/i;

/** Reads a quoted string: JSON for "…", verbatim for '…' and `…`. */
export function unquote(text: string): string {
  if (text.startsWith('"')) return JSON.parse(text) as string;
  return text.slice(1, -1);
}

function cleanPath(path: string): string {
  return path.trim().replace(/^[`'"]|[`'"]$/g, '');
}

/** `replacing a with b, "c d" with e` → [{ from: 'a', to: 'b' }, { from: 'c d', to: 'e' }]. */
export function parseReplacements(text: string): Replacement[] | null {
  const match = /\breplacing\s+([\s\S]+)$/i.exec(text.trim());
  if (!match?.[1]) return [];
  const token = String.raw`${QUOTED}|(\S+?)`;
  const pair = new RegExp(String.raw`^\s*(?:${token})\s+with\s+(?:${token})\s*(?:,|;|\band\b|$)`, 'i');
  const replacements: Replacement[] = [];
  let rest = match[1].replace(/[.\s]+$/, '');
  while (rest.trim() !== '') {
    const m = pair.exec(rest);
    if (!m) return null;
    const from = m[1] !== undefined ? unquote(m[1]) : (m[2] ?? '');
    const to = m[3] !== undefined ? unquote(m[3]) : (m[4] ?? '');
    replacements.push({ from, to });
    rest = rest.slice(m[0].length);
  }
  return replacements;
}

/**
 * Reads a prompt as a plan. Lines that are not plan lines are ignored as long as there is
 * at least one plan line; a prompt with none is not understood.
 */
export function parsePlan(prompt: string): Plan {
  const lines = prompt.replace(/\r\n/g, '\n').split('\n');
  const firstLine = lines.find((l) => l.trim() !== '')?.trim() ?? '';
  if (REPLAY.test(firstLine)) {
    const replacements = parseReplacements(firstLine);
    if (replacements === null) {
      return { kind: 'not_understood', reason: `could not read the replacements in "${firstLine}"` };
    }
    return { kind: 'replay', replacements };
  }
  const actions: Action[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const run = /^run:\s*(.+)$/i.exec(line);
    if (run?.[1]) {
      actions.push({ type: 'run', command: run[1].trim() });
      continue;
    }
    const fail = /^fail:\s*(.*)$/i.exec(line);
    if (fail) {
      actions.push({ type: 'fail', reason: fail[1]?.trim() || 'the plan says to fail' });
      continue;
    }
    const edit = EDIT.exec(line);
    if (edit?.[1] && edit[2] && edit[3]) {
      actions.push({ type: 'edit', path: cleanPath(edit[1]), old: unquote(edit[2]), new: unquote(edit[3]) });
      continue;
    }
    const del = DELETE.exec(line);
    if (del?.[1]) {
      actions.push({ type: 'delete', path: cleanPath(del[1]) });
      continue;
    }
    const create = CREATE.exec(line);
    if (create?.[1]) {
      const path = cleanPath(create[1]);
      const inline = (create[2] ?? '').trim();
      if (inline.startsWith('"')) {
        try {
          actions.push({ type: 'create', path, content: unquote(inline) });
          continue;
        } catch {
          return {
            kind: 'not_understood',
            reason: `line ${i + 1}: the content of ${path} is not a complete JSON string`,
          };
        }
      }
      const fence = (lines[i + 1] ?? '').trim();
      if (inline === '' && /^(```|~~~)/.test(fence)) {
        const marker = fence.slice(0, 3);
        const end = lines.findIndex((l, j) => j > i + 1 && l.trim().startsWith(marker));
        if (end === -1)
          return {
            kind: 'not_understood',
            reason: `line ${i + 1}: the fenced block for ${path} never closes`,
          };
        const body = lines.slice(i + 2, end);
        actions.push({ type: 'create', path, content: body.length > 0 ? `${body.join('\n')}\n` : '' });
        i = end;
        continue;
      }
      return {
        kind: 'not_understood',
        reason: `line ${i + 1}: "create ${path}:" needs a fenced block on the next lines`,
      };
    }
  }
  if (actions.length === 0) return { kind: 'not_understood', reason: 'the prompt has no plan line' };
  return { kind: 'actions', actions };
}
