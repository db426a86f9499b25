import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, redactValue } from './redact';

describe('redactor', () => {
  const redact = createRedactor(['the-server-token-123456']);

  it.each([
    ['OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123', 'OPENAI_API_KEY=[REDACTED]'],
    ['key sk-abcdefghijklmnopqrstuvwxyz012345 used', `key ${REDACTED} used`],
    ['Authorization: Bearer abc.def-ghi_jkl', `Authorization: Bearer ${REDACTED}`],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789', `token ${REDACTED}`],
    ['AKIAABCDEFGHIJKLMNOP', REDACTED],
    ['curl -H "x: the-server-token-123456"', `curl -H "x: ${REDACTED}"`],
    ['export GITHUB_TOKEN="abcdef123456"', `export GITHUB_TOKEN="${REDACTED}"`],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'run: npm test -- --grep "sk-ip this"; edit src/a.ts: replace "token" with "tokens"';
    expect(redact(text)).toBe(text);
  });

  it('redacts every string inside a value', () => {
    expect(redactValue({ a: ['x sk-abcdefghijklmnopqrstuvwxyz012345'], n: 1 }, redact)).toEqual({
      a: [`x ${REDACTED}`],
      n: 1,
    });
  });
});
