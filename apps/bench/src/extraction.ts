import { extractPattern, normalizeInstruction, type SourceStep } from '@retrace/patterns';
import { STEP_KINDS } from '@retrace/protocol';
import { type Figure, figure, spread } from './stats';

/** A long, busy run: commands with output-like text, edits, messages, failures. */
export function syntheticSteps(count: number): SourceStep[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = STEP_KINDS[i % STEP_KINDS.length] ?? 'command';
    const instruction =
      kind === 'command'
        ? `grep -rn "symbol_${i % 97}" src/module_${i % 31}/file_${i % 13}.ts | head -n ${i % 50}`
        : kind === 'file_change'
          ? `edit src/module_${i % 31}/file_${i % 13}.ts: replace "const a${i} = 1" with "const a${i} = 2"`
          : `Step ${i}: looking at lines ${i}-${i + 20} of src/module_${i % 31}/file_${i % 13}.ts to see what happens.`;
    return { seq: i + 1, kind, instruction, outcomeOk: i % 17 !== 0 };
  });
}

/** A run that only reads (a search over a tree): 8,000 distinct greps and their messages, no change. */
export function readOnlySteps(count: number): SourceStep[] {
  return Array.from({ length: count }, (_, i) =>
    i % 5 === 4
      ? { seq: i + 1, kind: 'agent_message', instruction: `Looked at part ${i}.`, outcomeOk: true }
      : {
          seq: i + 1,
          kind: 'command',
          instruction: `grep -n "symbol_${i}" src/file_${i % 50}.ts`,
          outcomeOk: true,
        },
  );
}

async function time(task: () => unknown, times: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** extractPattern on a 10,000-step run, against the floor: normalizing each instruction once. */
export async function benchExtraction(): Promise<Figure[]> {
  const steps = syntheticSteps(10_000);
  const source = [{ runId: 'run_bench', prompt: 'Fix the bug in the parser', steps }];
  await extractPattern(source); // load the tokenizer, warm up the JIT
  const extract = await time(() => extractPattern(source), 7);
  const floor = await time(() => {
    for (const step of steps) normalizeInstruction(step.instruction);
  }, 7);
  const pattern = await extractPattern(source);
  const reads = [{ runId: 'run_reads', prompt: 'Find where symbol is used', steps: readOnlySteps(10_000) }];
  const readsFloor = await time(() => {
    for (const step of reads[0]?.steps ?? []) normalizeInstruction(step.instruction);
  }, 7);
  return [
    figure(
      'Pattern extraction',
      '10,000-step run',
      'ms',
      spread(extract),
      { label: 'normalize every instruction once', value: spread(floor) },
      null,
      `${pattern.steps.length} steps, ${pattern.tokenCount} tokens kept`,
    ),
    figure(
      'Pattern extraction',
      '10,000-step run that only reads (no change)',
      'ms',
      spread(await time(() => extractPattern(reads), 5)),
      { label: 'normalize every instruction once', value: spread(readsFloor) },
      null,
      'the shape of the bench’s recorded runs: every read is checked against the changes after it',
    ),
  ];
}
