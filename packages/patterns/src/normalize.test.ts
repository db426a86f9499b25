import { describe, expect, it } from 'vitest';
import { normalizeInstruction } from './normalize';

describe('normalizeInstruction', () => {
  it('trims and collapses every run of whitespace to one space', () => {
    expect(normalizeInstruction('  git\tstatus \n\n --short  ')).toEqual({
      text: 'git status --short',
      cut: false,
    });
  });

  it('keeps at most 160 characters, ending a cut one with an ellipsis', () => {
    const { text, cut } = normalizeInstruction('x'.repeat(500));
    expect(text).toHaveLength(160);
    expect(text.endsWith('…')).toBe(true);
    expect(cut).toBe(true);
    expect(normalizeInstruction('y'.repeat(160))).toEqual({ text: 'y'.repeat(160), cut: false });
  });

  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(158)}😀😀😀`;
    const result = normalizeInstruction(text).text;
    expect(result.length).toBeLessThanOrEqual(160);
    expect(result).toBe(`${'a'.repeat(158)}…`);
    expect(result).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('replaces what XML cannot hold', () => {
    expect(normalizeInstruction('a\u0000b\u001bc\uD800d').text).toBe('a b c\uFFFDd');
  });
});
