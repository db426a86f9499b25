import { describe, expect, it } from 'vitest';
import { extractPattern } from './extract';
import { parseReferenceWorkflow } from './parse';
import { parseStrictly, run, trajectories } from './test-helpers';
import { loadTokenCounter } from './tokens';

const countTokens = await loadTokenCounter();

const notes = run('a', ['file_change', 'create notes/a.txt: "hello\\n"'], ['command', 'cat notes/a.txt']);

describe('pitfalls from runs that failed with the pattern', () => {
  it('go into the block, at most three, escaped, in the order given, and read back', async () => {
    const pitfalls = ['command `cat <x> & y` failed: No such file', 'second', 'third', 'fourth'];
    const pattern = await extractPattern([notes], { pitfalls });
    expect(pattern.pitfalls).toEqual(pitfalls.slice(0, 3));
    expect(pattern.block).toContain(
      '<pitfalls>\n<pitfall>command `cat &lt;x&gt; &amp; y` failed: No such file</pitfall>',
    );
    parseStrictly(pattern.block);
    expect(parseReferenceWorkflow(pattern.block).pitfalls).toEqual(pitfalls.slice(0, 3));
    expect(pattern.steps).toHaveLength(2);
  });

  it('are one normalized line each, and none at all makes no element', async () => {
    const pattern = await extractPattern([notes], { pitfalls: ['  two\n  lines  ', ''] });
    expect(pattern.pitfalls).toEqual(['two lines']);
    expect((await extractPattern([notes])).block).not.toContain('<pitfalls>');
  });

  it('are given up before any step when the block is tight, the oldest first, and the block says it was cut', async () => {
    const given = [1, 2, 3].map(
      (n) => `command \`npm test -- --grep case-${n}\` failed: ${'expected value '.repeat(5).trim()}`,
    );
    const full = await extractPattern([notes]);
    const tight = await extractPattern([notes], { pitfalls: given, maxTokens: full.tokenCount + 60 });
    expect(tight.steps).toEqual(full.steps);
    expect(tight.pitfalls).toEqual(given.slice(0, 1));
    expect(tight.tokenCount).toBeLessThanOrEqual(full.tokenCount + 60);
    expect(tight.truncated).toBe(true);
  });

  it('keep a real run within 12 steps and 600 tokens, and the same input the same block', async () => {
    const [first] = trajectories();
    if (!first) throw new Error('no fixture');
    const pitfalls = [
      'command `pytest tests/test_x.py` failed: AssertionError: 2 != 3',
      'change `edit a.py` failed',
    ];
    const pattern = await extractPattern([first.source], { pitfalls });
    expect(pattern.steps.length).toBeLessThanOrEqual(12);
    expect(countTokens(pattern.block)).toBeLessThanOrEqual(600);
    expect((await extractPattern([first.source], { pitfalls })).block).toBe(pattern.block);
  });
});

describe('variables', () => {
  it('are found in a kept why too: a message names the file and the substitution', async () => {
    const pattern = await extractPattern([
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

  it('from a why come after those of the instructions, which keep their names', async () => {
    const steps: Array<['command' | 'agent_message', string]> = [
      ['command', 'cat notes/a.txt'],
      ['agent_message', 'I need notes/b.txt too.'],
      ['command', 'cat notes/c.txt'],
    ];
    const withWhy = await extractPattern([run('w', ...steps)]);
    const withoutWhy = await extractPattern([run('w', ...steps.filter(([kind]) => kind === 'command'))]);
    expect(withWhy.block).toContain('why="I need notes/b.txt too."');
    expect(withWhy.variables).toEqual([
      ...withoutWhy.variables,
      { name: 'file_3', kind: 'file', value: 'notes/b.txt' },
    ]);
  });

  it('are never a part of a value where a text was cut', async () => {
    // Cut at 160 characters just after "src/widget.t": no variable "src/widget.t".
    const command = `cat ${'x'.repeat(142)} src/widget.tsx`;
    const pattern = await extractPattern([run('c', ['command', command])]);
    expect(pattern.steps[0]?.instruction).toMatch(/ src\/widget\.t…$/);
    expect(pattern.variables).toEqual([]);
  });
});
