import { describe, expect, it } from 'vitest';
import { extractPattern } from './extract';
import { findReferenceWorkflow, parseReferenceWorkflow } from './parse';
import { run } from './test-helpers';

describe('findReferenceWorkflow', () => {
  it('finds the block inside a larger prompt', async () => {
    const { block } = await extractPattern([run('r', ['command', 'npm test'])]);
    const prompt = `You are a precise code agent.\n\nA reference workflow:\n${block}\n\nTask:\nfix it`;
    expect(findReferenceWorkflow(prompt)).toBe(block);
    expect(findReferenceWorkflow('no block here')).toBeNull();
  });
});

describe('parseReferenceWorkflow', () => {
  it('reads task, steps with their why, and variables', async () => {
    const parsed = parseReferenceWorkflow(
      '<reference_workflow version="1" steps="1" truncated="false">\n<task>t &amp; u</task>\n<variables>\n<var name="file_1" kind="file">a.ts</var>\n</variables>\n<steps>\n<step n="1" kind="command" why="to &quot;see&quot;">cat a.ts &gt; b</step>\n</steps>\n</reference_workflow>',
    );
    expect(parsed).toEqual({
      task: 't & u',
      steps: [{ n: 1, kind: 'command', instruction: 'cat a.ts > b', why: 'to "see"' }],
      variables: [{ name: 'file_1', kind: 'file', value: 'a.ts' }],
      pitfalls: [],
    });
  });

  it.each([
    [
      '<reference_workflow><steps><step n="1" kind="command">a & b</step></steps></reference_workflow>',
      /malformed/,
    ],
    ['<reference_workflow><steps>', /malformed/],
    ['<other/>', /root element/],
    [
      '<reference_workflow><steps><step n="1" kind="dance">x</step></steps></reference_workflow>',
      /kind "dance"/,
    ],
  ])('refuses %s', (block, message) => {
    expect(() => parseReferenceWorkflow(block)).toThrow(message);
  });
});
