import { describe, expect, it } from 'vitest';
import { matchPrompt, SUGGESTION_THRESHOLD } from './pattern-match';

// Run A's pattern, as the extractor gives it: its prompt, its steps, the values they hold.
const notesA = {
  prompts: ['create notes/a.txt:\n```\nhello\n```\nrun: cat notes/a.txt'],
  held: ['create notes/a.txt: "hello\\n"', 'cat notes/a.txt', 'notes/a.txt'],
  files: ['notes/a.txt'],
};
// Run B replayed A with a new value: its prompt names notes/a.txt, its steps hold only notes/b.txt.
const notesB = {
  prompts: ['Repeat the reference workflow, replacing notes/a.txt with notes/b.txt'],
  held: ['create notes/b.txt: "hello\\n"', 'cat notes/b.txt', 'notes/b.txt'],
  files: ['notes/b.txt'],
};

describe('matchPrompt', () => {
  it('a replay of what the pattern holds matches it fully, whatever the new value', () => {
    const match = matchPrompt(
      'Repeat the reference workflow, replacing notes/a.txt with notes/d.txt',
      notesA,
    );
    expect(match).toEqual({ score: 1, reasons: ['holds "notes/a.txt"'] });
  });

  it('a replay of a value the pattern does not hold is no match, and says so', () => {
    const match = matchPrompt(
      'Repeat the reference workflow, replacing notes/a.txt with notes/d.txt',
      notesB,
    );
    expect(match).toEqual({ score: 0, reasons: ['holds no "notes/a.txt" to replace'] });
  });

  it('the same task on another file of the same kind matches above the threshold, with its reasons', () => {
    const match = matchPrompt('create notes/c.txt:\n```\nhello\n```\nrun: cat notes/c.txt', notesA);
    expect(match.score).toBeGreaterThanOrEqual(SUGGESTION_THRESHOLD);
    expect(match.reasons).toEqual(['files like its own: notes/c.txt', 'words it knows: hello, cat']);
  });

  it.each([['run: sleep 1\nrun: sleep 1'], ['Write a haiku about autumn leaves'], ['run: npm test']])(
    'an unrelated prompt (%j) scores under the threshold',
    (prompt) => {
      expect(matchPrompt(prompt, notesA).score).toBeLessThan(SUGGESTION_THRESHOLD);
    },
  );

  it('stays in [0, 1] and is deterministic', () => {
    const prompt = 'edit notes/a.txt: replace "hello" with "hi"\nrun: cat notes/a.txt notes/z.md';
    const first = matchPrompt(prompt, notesA);
    expect(first.score).toBeGreaterThanOrEqual(0);
    expect(first.score).toBeLessThanOrEqual(1);
    expect(matchPrompt(prompt, notesA)).toEqual(first);
  });
});
