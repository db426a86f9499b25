import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, redactValue } from './redact';
import { redactLine } from './run-recorder';

describe('redactor', () => {
  const redact = createRedactor(['the-server-token-123456']);

  it.each([
    ['OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123', 'OPENAI_API_KEY=[REDACTED]'],
    ['key sk-abcdefghijklmnopqrstuvwxyz012345 used', `key ${REDACTED} used`],
    ['Authorization: Bearer abc.def-ghi_jkl', `Authorization: Bearer ${REDACTED}`],
    ['authorization: BEARER abc.def-ghi_jkl', `authorization: BEARER ${REDACTED}`],
    ['-H "authorization: bearer abcdefgh123"', `-H "authorization: bearer ${REDACTED}"`],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789', `token ${REDACTED}`],
    ['AKIAABCDEFGHIJKLMNOP', REDACTED],
    ['SLACK xoxb-1234567890-abcdefghij here', `SLACK ${REDACTED} here`],
    ['xxxxxxxxxxxxxxxxxxxx xoxp-1234567890-abcdef', `xxxxxxxxxxxxxxxxxxxx ${REDACTED}`],
    ['curl -H "x: the-server-token-123456"', `curl -H "x: ${REDACTED}"`],
    ['export GITHUB_TOKEN="abcdef123456"', `export GITHUB_TOKEN="${REDACTED}"`],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'run: npm test -- --grep "sk-ip this"; edit src/a.ts: replace "token" with "tokens"';
    expect(redact(text)).toBe(text);
  });

  it('hands back what holds no secret as it was, and copies only what changed', () => {
    const clean = { a: ['plain'], b: { c: 'text' }, n: 1 };
    expect(redactValue(clean, redact)).toBe(clean);
    const mixed = { keep: { c: 'text' }, change: 'the-server-token-123456' };
    const out = redactValue(mixed, redact);
    expect(out).toEqual({ keep: { c: 'text' }, change: REDACTED });
    expect(out.keep).toBe(mixed.keep);
    expect(mixed.change).toBe('the-server-token-123456');
  });

  it('redacts every string inside a value', () => {
    expect(redactValue({ a: ['x sk-abcdefghijklmnopqrstuvwxyz012345'], n: 1 }, redact)).toEqual({
      a: [`x ${REDACTED}`],
      n: 1,
    });
  });
});

describe('a raw Codex line', () => {
  const redact = createRedactor([]);

  it('is redacted inside its JSON strings, so an assignment does not swallow the next lines', () => {
    const line = JSON.stringify({
      type: 'item.completed',
      item: {
        type: 'command_execution',
        aggregated_output: 'MY_TOKEN=abcdefgh\nline1\nline2\n',
        exit_code: 0,
      },
    });
    const parsed = JSON.parse(redactLine(line, redact)) as { item: { aggregated_output: string } };
    expect(parsed.item.aggregated_output).toBe(`MY_TOKEN=${REDACTED}\nline1\nline2\n`);
    // Redacting the escaped line as text loses them.
    expect(redact(line)).not.toContain('line1');
  });

  it('stays byte for byte what Codex printed when it holds no secret', () => {
    const line = '{"type":"item.completed","item":{"id":"item_1",  "text":"ok"}}';
    expect(redactLine(line, redact)).toBe(line);
  });

  it.each([
    ['a quote', 'pass"word-123'],
    ['a backslash', 'pass\\word-123'],
    ['a tab', 'pass\tword-123'],
  ])('loses a known secret holding %s, which JSON escapes', (_what, secret) => {
    const line = JSON.stringify({ type: 'item.completed', item: { text: `echo ${secret} done` } });
    const redacted = redactLine(line, createRedactor([secret]));
    expect(JSON.parse(redacted)).toEqual({ type: 'item.completed', item: { text: `echo ${REDACTED} done` } });
    // A JSON artifact redacted as text keeps its shape too.
    expect(JSON.parse(createRedactor([secret])(line))).toEqual(JSON.parse(redacted));
  });

  it('is redacted as text when it is not JSON', () => {
    expect(redactLine('not json sk-abcdefghijklmnopqrstuvwxyz012345', redact)).toBe(`not json ${REDACTED}`);
  });
});
