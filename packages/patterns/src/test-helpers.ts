import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StepKind } from '@retrace/protocol';
import { SaxesParser } from 'saxes';
import type { PatternSource, SourceStep } from './types';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));

/** The three SWE-agent runs in step format (MIT, see each file's source and license). */
export function trajectories(): Array<{ name: string; source: PatternSource }> {
  return readdirSync(fixtures)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => {
      const data = JSON.parse(readFileSync(`${fixtures}${name}`, 'utf8')) as {
        task: string;
        steps: SourceStep[];
      };
      return { name, source: { runId: name.replace(/\.json$/, ''), prompt: data.task, steps: data.steps } };
    });
}

export function run(runId: string, ...steps: Array<[StepKind, string, boolean?]>): PatternSource {
  return {
    runId,
    steps: steps.map(([kind, instruction, outcomeOk = true], i) => ({
      seq: i + 1,
      kind,
      instruction,
      outcomeOk,
    })),
  };
}
/** Parses with saxes, a strict XML 1.0 parser: any well-formedness error throws. */
export function parseStrictly(xml: string): void {
  const parser = new SaxesParser();
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml).close();
}
