import { describe, expect, it } from 'vitest';
import { parsePlan, parseReplacements } from './plan';

describe('parsePlan', () => {
  it('reads every kind of plan line, ignoring prose around them', () => {
    const plan = parsePlan(
      [
        'Make a greeting.',
        'create notes/a.txt:',
        '```',
        'hello',
        'world',
        '```',
        'create b.json: "{\\"x\\": 1}\\n"',
        'edit notes/a.txt: replace "world" with "there \\"friend\\""',
        "edit `my file.txt`: replace 'a' with 'b'",
        'delete old.txt',
        'run: npm test -- --grep "a b"',
        'fail: stop here',
      ].join('\n'),
    );
    expect(plan).toEqual({
      kind: 'actions',
      actions: [
        { type: 'create', path: 'notes/a.txt', content: 'hello\nworld\n' },
        { type: 'create', path: 'b.json', content: '{"x": 1}\n' },
        { type: 'edit', path: 'notes/a.txt', old: 'world', new: 'there "friend"' },
        { type: 'edit', path: 'my file.txt', old: 'a', new: 'b' },
        { type: 'delete', path: 'old.txt' },
        { type: 'run', command: 'npm test -- --grep "a b"' },
        { type: 'fail', reason: 'stop here' },
      ],
    });
  });

  it.each([
    ['How are you today?', /no plan line/],
    ['create a.txt:\n```\nnever closed', /never closes/],
    ['create a.txt:\nno fence', /needs a fenced block/],
    ['create a.txt: "unterminated', /not a complete JSON string/],
  ])('does not understand %j', (prompt, reason) => {
    const plan = parsePlan(prompt);
    expect(plan.kind).toBe('not_understood');
    expect(plan.kind === 'not_understood' && plan.reason).toMatch(reason);
  });

  it('reads a replay request and its replacements', () => {
    expect(parsePlan('Repeat the reference workflow, replacing notes/a.txt with notes/b.txt')).toEqual({
      kind: 'replay',
      replacements: [{ from: 'notes/a.txt', to: 'notes/b.txt' }],
    });
    expect(
      parseReplacements(
        'Repeat the reference workflow, replacing "hello world" with `bye`, x with y and 1 with 2.',
      ),
    ).toEqual([
      { from: 'hello world', to: 'bye' },
      { from: 'x', to: 'y' },
      { from: '1', to: '2' },
    ]);
    expect(parsePlan('Repeat the reference workflow.')).toEqual({ kind: 'replay', replacements: [] });
    expect(parsePlan('Repeat the reference workflow, replacing nothing').kind).toBe('not_understood');
  });
});
