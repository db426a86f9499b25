/**
 * The command as the model wrote it: Codex runs it as `/bin/bash -c '<command>'` (`-lc` for a login shell; or with
 * double quotes when the command has single quotes), so undo that wrapping and its quoting.
 */
export function unwrapCommand(command: string): string {
  const match = /^(?:\/usr)?\/bin\/(?:ba|z)?sh -l?c ([\s\S]+)$/.exec(command);
  if (!match?.[1]) return command;
  const quoted = match[1];
  if (quoted.startsWith("'") && quoted.endsWith("'")) {
    // Single quotes: '\'' is how a single quote is written inside.
    return quoted.slice(1, -1).replace(/'\\''/g, "'");
  }
  if (quoted.startsWith('"') && quoted.endsWith('"')) {
    return quoted.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  }
  return quoted;
}
