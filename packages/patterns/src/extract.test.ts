import { describe, expect, it } from 'vitest';
import { extractPattern } from './extract';
import { parseReferenceWorkflow } from './parse';
import { parseStrictly, run, trajectories } from './test-helpers';
import { loadTokenCounter } from './tokens';

const countTokens = await loadTokenCounter();

const instructions = async (sources: Parameters<typeof extractPattern>[0]) =>
  (await extractPattern(sources)).steps.map((s) => `${s.kind}: ${s.instruction}`);

describe('which steps are kept', () => {
  it('keeps successful assistant and tool steps only', async () => {
    const pattern = await extractPattern([
      run(
        'r1',
        ['reasoning', 'thinking hard'],
        ['command', 'npm test', false],
        ['todo_list', 'plan'],
        ['error', 'oops'],
        ['command', 'ls src'],
        ['web_search', 'vitest docs'],
        ['file_change', 'edit src/a.ts: replace "a" with "b"'],
        ['tool_call', 'lint({"fix":true})'],
      ),
    ]);
    expect(pattern.steps.map((s) => s.kind)).toEqual(['command', 'web_search', 'file_change', 'tool_call']);
    expect(pattern.steps.map((s) => s.sourceSeq)).toEqual([5, 6, 7, 8]);
  });

  it('collapses consecutive duplicates into one step', async () => {
    expect(
      await instructions([
        run(
          'r1',
          ['command', 'npm test'],
          ['command', 'npm  test '],
          ['file_change', 'create a.txt'],
          ['command', 'npm test'],
        ),
      ]),
    ).toEqual(['command: npm test', 'file_change: create a.txt', 'command: npm test']);
  });

  it('folds messages into the step after them instead of spending steps on them', async () => {
    const pattern = await extractPattern([
      run(
        'r1',
        ['agent_message', "The test fails. Let's find the parser."],
        ['command', 'grep -rn parse src'],
        ['agent_message', 'Done.'],
      ),
    ]);
    expect(pattern.steps).toHaveLength(1);
    expect(pattern.block).toContain(`why="Let's find the parser."`);
  });

  it('keeps messages as steps when a run has nothing else', async () => {
    expect(await instructions([run('r1', ['agent_message', 'The answer is 42.'])])).toEqual([
      'agent_message: The answer is 42.',
    ]);
  });

  it('prefers Codex’s own steps to the runner handing it the task', async () => {
    expect(
      await instructions([
        run('r1', ['tool_call', 'codex_exec: create a.txt'], ['file_change', 'create a.txt: "hi\\n"']),
      ]),
    ).toEqual(['file_change: create a.txt: "hi\\n"']);
    expect(await instructions([run('r1', ['tool_call', 'codex_exec: answer the question'])])).toEqual([
      'tool_call: codex_exec: answer the question',
    ]);
  });

  it('keeps instructions exactly, commands as written', async () => {
    const command = `grep -rn "a && b" src | sed 's/<x>/"y"/' > out.txt`;
    const pattern = await extractPattern([run('r1', ['command', command])]);
    expect(pattern.steps[0]?.instruction).toBe(command);
    expect(parseReferenceWorkflow(pattern.block).steps[0]?.instruction).toBe(command);
  });
});

describe('over the caps', () => {
  // Thirty things an agent did: exploring, reading, one change, a check, chatter.
  const busy = run(
    'busy',
    ...Array.from({ length: 10 }, (_, i): ['command', string] => ['command', `ls dir${i}`]),
    ...Array.from({ length: 8 }, (_, i): ['command', string] => ['command', `cat src/module${i}.ts`]),
    ['command', 'npm test'],
    ['command', 'grep -rn "parseDate" src'],
    ['command', 'cat src/date.ts'],
    ['agent_message', 'I need to change the format string.'],
    ['file_change', 'edit src/date.ts: replace "YYYY-DD-MM" with "YYYY-MM-DD"'],
    ['command', 'npm test'],
    ...Array.from({ length: 6 }, (_, i): ['command', string] => ['command', `echo done ${i}`]),
  );

  it('keeps at most 12 steps and 600 tokens, and says it cut something', async () => {
    const pattern = await extractPattern([busy]);
    expect(pattern.steps.length).toBeLessThanOrEqual(12);
    expect(pattern.tokenCount).toBeLessThanOrEqual(600);
    expect(pattern.tokenCount).toBe(countTokens(pattern.block));
    expect(pattern.truncated).toBe(true);
    expect(pattern.block).toContain('truncated="true"');
  });

  it('keeps the workflow that solved it: reproduce, locate, change, verify', async () => {
    const kept = (await extractPattern([busy])).steps.map((s) => s.instruction);
    expect(kept).toEqual(
      expect.arrayContaining([
        'npm test',
        'grep -rn "parseDate" src',
        'cat src/date.ts',
        'edit src/date.ts: replace "YYYY-DD-MM" with "YYYY-MM-DD"',
      ]),
    );
    expect(kept.filter((k) => k === 'npm test')).toHaveLength(2);
    expect(kept.indexOf('edit src/date.ts: replace "YYYY-DD-MM" with "YYYY-MM-DD"')).toBeLessThan(
      kept.lastIndexOf('npm test'),
    );
    expect(kept.filter((k) => k.startsWith('ls '))).toHaveLength(0);
  });

  it('stays under the token cap with long instructions, cutting them at 160 characters', async () => {
    const long = run(
      'long',
      ...Array.from({ length: 40 }, (_, i): ['command', string] => [
        'command',
        `run-step-${i} ${'--flag=value '.repeat(30)}`,
      ]),
    );
    const pattern = await extractPattern([long]);
    expect(pattern.tokenCount).toBeLessThanOrEqual(600);
    expect(pattern.steps.every((s) => s.instruction.length <= 160)).toBe(true);
    expect(pattern.truncated).toBe(true);
  });

  it('respects smaller caps when asked', async () => {
    const pattern = await extractPattern([busy], { maxSteps: 3, maxTokens: 200 });
    expect(pattern.steps.length).toBeLessThanOrEqual(3);
    expect(pattern.tokenCount).toBeLessThanOrEqual(200);
  });

  it('refuses a token cap too small for any block, naming the option', async () => {
    await expect(extractPattern([busy], { maxTokens: 5 })).rejects.toThrow(RangeError);
    await expect(extractPattern([busy], { maxTokens: 5 })).rejects.toThrow(
      /maxTokens is 5, below the \d+ tokens/,
    );
  });
});

describe('the block', () => {
  it('is well-formed XML whose steps parse back to the instructions, with variables', async () => {
    const pattern = await extractPattern([
      {
        ...run(
          'r1',
          ['command', 'python -m pytest tests/test_a.py -k "x and not y"'],
          ['file_change', 'edit src/a.py: replace "<" with "<="'],
        ),
        prompt: 'Fix the <bug> & test',
      },
    ]);
    expect(() => parseStrictly(pattern.block)).not.toThrow();
    expect(pattern.block.startsWith('<reference_workflow ')).toBe(true);
    const parsed = parseReferenceWorkflow(pattern.block);
    expect(parsed.task).toBe('Fix the <bug> & test');
    expect(parsed.steps.map((s) => s.instruction)).toEqual(pattern.steps.map((s) => s.instruction));
    expect(parsed.variables).toEqual(pattern.variables);
    expect(pattern.variables).toEqual([
      { name: 'file_1', kind: 'file', value: 'tests/test_a.py' },
      { name: 'file_2', kind: 'file', value: 'src/a.py' },
      { name: 'substitution_1', kind: 'substitution', value: '< → <=' },
    ]);
  });

  it('is the same for the same input, byte for byte', async () => {
    const [first] = trajectories();
    if (!first) throw new Error('no trajectories');
    const a = await extractPattern([first.source]);
    const b = await extractPattern([structuredClone(first.source)]);
    expect(a.block).toBe(b.block);
    expect(a).toEqual(b);
  });
});

describe('several successful runs of the same kind of task', () => {
  const one = run(
    'run-a',
    ['command', 'cat notes/a.txt'],
    ['file_change', 'edit notes/a.txt: replace "x" with "y"'],
    ['command', 'npm test'],
  );
  const two = run(
    'run-b',
    ['command', 'cat notes/b.txt'],
    ['command', 'npm ci'],
    ['file_change', 'edit notes/b.txt: replace "x" with "y"'],
    ['command', 'npm test'],
  );

  it('keeps a recurring step once and turns values that differ into variables', async () => {
    const pattern = await extractPattern([one, two]);
    expect(pattern.steps.map((s) => s.instruction)).toEqual([
      'cat {{file_1}}',
      'npm ci',
      'edit {{file_1}}: replace "x" with "y"',
      'npm test',
    ]);
    expect(pattern.variables[0]).toEqual({
      name: 'file_1',
      kind: 'file',
      value: 'notes/a.txt | notes/b.txt',
    });
    expect(pattern.steps.map((s) => s.sourceRunId)).toEqual(['run-a', 'run-b', 'run-a', 'run-a']);
    expect(parseReferenceWorkflow(pattern.block).steps.map((s) => s.instruction)).toEqual(
      pattern.steps.map((s) => s.instruction),
    );
  });

  it('keeps a merged instruction within 160 characters when its placeholders are longer than its words', async () => {
    const words = (a: string, b: string) => `sed -i s/a/b/ ${a} ${b} ${'x '.repeat(70).trim()}`;
    const merged = await extractPattern([
      run('run-a', ['command', words('p', 'q')]),
      run('run-b', ['command', words('r', 's')]),
    ]);
    const instruction = merged.steps[0]?.instruction ?? '';
    expect(instruction.startsWith('sed -i s/a/b/ {{value_1}} {{value_2}} x x')).toBe(true);
    expect(instruction.length).toBeLessThanOrEqual(160);
    expect(instruction.endsWith('…')).toBe(true);
    expect(merged.truncated).toBe(true);
  });
});

describe('real runs (SWE-agent trajectories)', () => {
  for (const { name, source } of trajectories()) {
    it(`${name}: within the caps, keeps its successful changes and the checks after them`, async () => {
      const pattern = await extractPattern([source]);
      expect(() => parseStrictly(pattern.block)).not.toThrow();
      expect(pattern.steps.length).toBeLessThanOrEqual(12);
      expect(pattern.tokenCount).toBeLessThanOrEqual(600);
      const kept = pattern.steps.map((s) => s.sourceSeq);
      const successfulChanges = source.steps.filter((s) => s.kind === 'file_change' && s.outcomeOk);
      for (const change of successfulChanges) expect(kept).toContain(change.seq);
      const lastChange = Math.max(...successfulChanges.map((s) => s.seq));
      const check = source.steps.find(
        (s) => s.seq > lastChange && s.kind === 'command' && /^python/.test(s.instruction),
      );
      expect(check && kept).toContain(check?.seq);
      expect(pattern.steps.some((s) => s.kind === 'agent_message')).toBe(false);
      for (const failed of source.steps.filter((s) => !s.outcomeOk)) expect(kept).not.toContain(failed.seq);
    });
  }
});
