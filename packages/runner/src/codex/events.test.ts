import { describe, expect, it } from 'vitest';
import { unwrapCommand } from './command';
import { parseItem, parseLine } from './events';

describe('parseLine', () => {
  it('reads the Codex event types', () => {
    expect(
      parseLine(
        '{"type":"turn.completed","usage":{"input_tokens":5,"cached_input_tokens":1,"output_tokens":2}}',
      ),
    ).toMatchObject({
      kind: 'event',
      event: { type: 'turn.completed', usage: { input_tokens: 5 } },
    });
    expect(parseLine('{"type":"turn.failed","error":{"message":"boom"}}')).toMatchObject({
      kind: 'event',
      event: { error: { message: 'boom' } },
    });
  });

  it('keeps an unknown event type raw and reports a malformed line, never throwing', () => {
    expect(parseLine('{"type":"session.teleported","where":"mars"}')).toEqual({
      kind: 'unknown',
      value: { type: 'session.teleported', where: 'mars' },
    });
    expect(parseLine('{"type": "item.completed", "item": ')).toMatchObject({ kind: 'malformed' });
    expect(parseLine('not json at all').kind).toBe('malformed');
  });

  it('knows the item types and leaves new ones raw', () => {
    expect(
      parseItem({
        id: 'i',
        type: 'command_execution',
        command: 'ls',
        aggregated_output: '',
        exit_code: 0,
        status: 'completed',
      }),
    ).toMatchObject({
      type: 'command_execution',
    });
    expect(parseItem({ id: 'i', type: 'hologram', text: 'x' })).toBeNull();
  });
});

describe('unwrapCommand', () => {
  it.each([
    ["/bin/bash -lc 'cat notes/a.txt'", 'cat notes/a.txt'],
    ["/bin/bash -c 'cat notes/a.txt'", 'cat notes/a.txt'],
    [`/bin/bash -lc "cat -- 'notes/a.txt'"`, "cat -- 'notes/a.txt'"],
    [`/bin/bash -lc 'echo '"'"'hi'"'"''`, "echo 'hi'"],
    ["/bin/bash -c 'a && b'\\'' c'", "a && b' c"],
    ['/bin/bash -c ls\\ -la', 'ls -la'],
    ["/bin/bash -c 'unclosed", "/bin/bash -c 'unclosed"],
    ['/bin/bash -c two words', '/bin/bash -c two words'],
    // As Codex 0.169 quotes a command with both kinds of quotes.
    [String.raw`/bin/bash -c "echo 'hi' \""'$HOME" it'"'s"`, `echo 'hi' "$HOME" it's`],
    [`/bin/bash -lc 'echo it'\\''s'`, "echo it's"],
    [`/bin/bash -lc "echo \\"\\$HOME\\""`, 'echo "$HOME"'],
    ['ls -la', 'ls -la'],
  ])('%s → %s', (wrapped, command) => {
    expect(unwrapCommand(wrapped)).toBe(command);
  });
});
