import { STEP_KINDS } from '@retrace/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractPattern } from './extract';
import { normalizeInstruction } from './normalize';
import { parseReferenceWorkflow } from './parse';
import { parseStrictly } from './test-helpers';
import { loadTokenCounter } from './tokens';
import type { PatternSource } from './types';

const countTokens = await loadTokenCounter();

// Text an agent might produce: shell syntax, XML specials, quotes, unicode, whitespace, long lines.
const piece = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '&',
    '<',
    '>',
    '"',
    "'",
    '&amp;',
    ']]>',
    '<!--',
    '\n',
    '\t',
    '  ',
    '😀',
    'é',
    '\u0000',
    '\uD800',
    'src/a.ts:42',
    's/a/b/',
    'lines 3-9',
    '{{x}}',
  ),
);
const instruction = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
const step = fc.record({ kind: fc.constantFrom(...STEP_KINDS), instruction, outcomeOk: fc.boolean() });
const source = fc
  .record({
    runId: fc.stringMatching(/^run_[a-z0-9]{1,8}$/),
    prompt: fc.option(instruction, { nil: undefined }),
    steps: fc.array(step, { maxLength: 60 }),
  })
  .map((s): PatternSource => ({ ...s, steps: s.steps.map((st, i) => ({ ...st, seq: i + 1 })) }));
const sources = fc.array(source, { minLength: 1, maxLength: 3 });
const pitfalls = fc.array(instruction, { maxLength: 5 });

describe('extractPattern, for any input', () => {
  it('stays within 12 steps and 600 o200k tokens, and reports the count of the block', async () => {
    await fc.assert(
      fc.asyncProperty(sources, pitfalls, async (input, given) => {
        const pattern = await extractPattern(input, { pitfalls: given });
        expect(pattern.steps.length).toBeLessThanOrEqual(12);
        expect(pattern.pitfalls.length).toBeLessThanOrEqual(3);
        expect(pattern.tokenCount).toBeLessThanOrEqual(600);
        expect(pattern.tokenCount).toBe(countTokens(pattern.block));
        for (const kept of pattern.steps) expect(kept.instruction.length).toBeLessThanOrEqual(160);
      }),
      { numRuns: 150 },
    );
  });

  it('gives well-formed XML that parses back to the same instructions, variables and pitfalls', async () => {
    await fc.assert(
      fc.asyncProperty(sources, pitfalls, async (input, given) => {
        const pattern = await extractPattern(input, { pitfalls: given });
        expect(() => parseStrictly(pattern.block)).not.toThrow();
        const parsed = parseReferenceWorkflow(pattern.block);
        expect(parsed.steps.map((s) => [s.n, s.kind, s.instruction])).toEqual(
          pattern.steps.map((s) => [s.n, s.kind, s.instruction]),
        );
        expect(parsed.variables).toEqual(pattern.variables);
        expect(parsed.pitfalls).toEqual(pattern.pitfalls);
      }),
      { numRuns: 150 },
    );
  });

  it('never gives up a step for a pitfall, and keeps the newest pitfalls', async () => {
    await fc.assert(
      fc.asyncProperty(sources, pitfalls, async (input, given) => {
        const pattern = await extractPattern(input, { pitfalls: given });
        expect(pattern.steps).toEqual((await extractPattern(input)).steps);
        const offered = given.map((p) => normalizeInstruction(p).text).filter((p) => p !== '');
        expect(pattern.pitfalls).toEqual(offered.slice(0, pattern.pitfalls.length));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps only successful assistant and tool steps, normalized', async () => {
    await fc.assert(
      fc.asyncProperty(source, async (input) => {
        const pattern = await extractPattern([input]);
        for (const kept of pattern.steps) {
          const original = input.steps.find((s) => s.seq === kept.sourceSeq);
          expect(original?.outcomeOk).toBe(true);
          expect(['agent_message', 'command', 'file_change', 'tool_call', 'web_search']).toContain(kept.kind);
          expect(kept.instruction).toBe(normalizeInstruction(original?.instruction ?? '').text);
          expect(kept.instruction.length).toBeLessThanOrEqual(160);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(sources, pitfalls, async (input, given) => {
        expect(await extractPattern(structuredClone(input), { pitfalls: [...given] })).toEqual(
          await extractPattern(input, { pitfalls: given }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('round-trips any single instruction through the XML exactly', async () => {
    await fc.assert(
      fc.asyncProperty(instruction, async (text) => {
        const normalized = normalizeInstruction(text).text;
        fc.pre(normalized !== '');
        const pattern = await extractPattern([
          { runId: 'r', steps: [{ seq: 1, kind: 'command', instruction: text, outcomeOk: true }] },
        ]);
        expect(parseReferenceWorkflow(pattern.block).steps[0]?.instruction).toBe(normalized);
      }),
      { numRuns: 300 },
    );
  });
});
