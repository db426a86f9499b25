import { describe, expect, it } from 'vitest';
import { extractPattern } from './extract';
import { parseReferenceWorkflow } from './parse';
import { parseStrictly, run, trajectories } from './test-helpers';
import { countTokens } from './tokens';

const notes = run('a', ['file_change', 'create notes/a.txt: "hello\\n"'], ['command', 'cat notes/a.txt']);

describe('pitfalls from runs that failed with the pattern', () => {
  it('go into the block, at most three, escaped, in the order given, and read back', () => {
    const pitfalls = ['command `cat <x> & y` failed: No such file', 'second', 'third', 'fourth'];
    const pattern = extractPattern([notes], { pitfalls });
    expect(pattern.pitfalls).toEqual(pitfalls.slice(0, 3));
    expect(pattern.block).toContain(
      '<pitfalls>\n<pitfall>command `cat &lt;x&gt; &amp; y` failed: No such file</pitfall>',
    );
    parseStrictly(pattern.block);
    expect(parseReferenceWorkflow(pattern.block).pitfalls).toEqual(pitfalls.slice(0, 3));
    expect(pattern.steps).toHaveLength(2);
  });

  it('are one normalized line each, and none at all makes no element', () => {
    const pattern = extractPattern([notes], { pitfalls: ['  two\n  lines  ', ''] });
    expect(pattern.pitfalls).toEqual(['two lines']);
    expect(extractPattern([notes]).block).not.toContain('<pitfalls>');
  });

  it('are given up before any step when the block is tight, and the block says it was cut', () => {
    const long = (n: number) =>
      `command \`npm test -- --grep case-${n}\` failed: ${'expected value '.repeat(8)}`;
    const full = extractPattern([notes]);
    const tight = extractPattern([notes], {
      pitfalls: [long(1), long(2), long(3)],
      maxTokens: full.tokenCount + 60,
    });
    expect(tight.steps).toHaveLength(full.steps.length);
    expect(tight.pitfalls.length).toBeLessThan(3);
    expect(tight.tokenCount).toBeLessThanOrEqual(full.tokenCount + 60);
    expect(tight.truncated).toBe(true);
  });

  it('keep a real run within 12 steps and 600 tokens, and the same input the same block', () => {
    const [first] = trajectories();
    if (!first) throw new Error('no fixture');
    const pitfalls = [
      'command `pytest tests/test_x.py` failed: AssertionError: 2 != 3',
      'change `edit a.py` failed',
    ];
    const pattern = extractPattern([first.source], { pitfalls });
    expect(pattern.steps.length).toBeLessThanOrEqual(12);
    expect(countTokens(pattern.block)).toBeLessThanOrEqual(600);
    expect(extractPattern([first.source], { pitfalls }).block).toBe(pattern.block);
  });
});

describe('variables', () => {
  it('are found in a kept why too: a message names the file and the substitution', () => {
    const pattern = extractPattern([
      run(
        'w',
        ['agent_message', 'Replace "getUser" with "fetchUser" in lib/api/client.js.'],
        ['command', 'npm test'],
      ),
    ]);
    expect(pattern.block).toMatch(/why="[^"]*fetchUser/);
    expect(pattern.variables).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'file', value: 'lib/api/client.js' }),
        expect.objectContaining({ kind: 'substitution', value: 'getUser → fetchUser' }),
      ]),
    );
  });
});
