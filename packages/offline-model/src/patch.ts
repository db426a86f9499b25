/** Codex's apply_patch format: what the model sends to create, change or delete a file. */

function lines(content: string): string[] {
  const body = content.endsWith('\n') ? content.slice(0, -1) : content;
  return body === '' ? [] : body.split('\n');
}

export function addFilePatch(path: string, content: string): string {
  const added = lines(content).map((line) => `+${line}\n`);
  return `*** Begin Patch\n*** Add File: ${path}\n${added.join('')}*** End Patch\n`;
}

export function deleteFilePatch(path: string): string {
  return `*** Begin Patch\n*** Delete File: ${path}\n*** End Patch\n`;
}

/**
 * Replaces the first occurrence of `old` in a file, as a patch: the whole lines that hold
 * it go out, the same lines with the replacement come in. Null when `old` is not there.
 */
export function replacePatch(path: string, content: string, old: string, replacement: string): string | null {
  const at = content.indexOf(old);
  if (old === '' || at === -1) return null;
  const start = content.lastIndexOf('\n', at - 1) + 1;
  const endNewline = content.indexOf('\n', at + old.length);
  const end = endNewline === -1 ? content.length : endNewline;
  const before = content.slice(start, end);
  const after = before.slice(0, at - start) + replacement + before.slice(at - start + old.length);
  const removed = before.split('\n').map((line) => `-${line}\n`);
  const added = after.split('\n').map((line) => `+${line}\n`);
  return `*** Begin Patch\n*** Update File: ${path}\n@@\n${removed.join('')}${added.join('')}*** End Patch\n`;
}
