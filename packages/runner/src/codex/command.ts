/**
 * The command as the model wrote it: Codex runs it as `/bin/bash -c '<command>'` (`-lc` for
 * a login shell), quoted as one shell word, so undo that wrapping and its quoting.
 */
export function unwrapCommand(command: string): string {
  const match = /^(?:\/usr)?\/bin\/(?:ba|z)?sh -l?c ([\s\S]+)$/.exec(command);
  if (!match?.[1]) return command;
  return unquoteWord(match[1]) ?? command;
}

/**
 * One POSIX shell word without its quotes: '…' taken literally, "…" with \ escaping only
 * $ ` " \ and newline, a bare \ escaping the next character; `'it'"'"'s'` and `'it'\''s'`
 * are both `it's`. Null when the text is not a single word (an unquoted space, an open quote).
 */
function unquoteWord(word: string): string | null {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const c = word[i] as string;
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      if (end === -1) return null;
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i += 1;
      while (i < word.length && word[i] !== '"') {
        if (word[i] === '\\' && i + 1 < word.length && '$`"\\\n'.includes(word[i + 1] as string)) i += 1;
        out += word[i];
        i += 1;
      }
      if (i >= word.length) return null;
      i += 1;
    } else if (c === '\\') {
      if (i + 1 >= word.length) return null;
      out += word[i + 1];
      i += 2;
    } else if (/\s/.test(c)) {
      return null;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}
