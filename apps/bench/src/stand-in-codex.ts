import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Api } from '@retrace/api';
import { recordedJsonl } from './recording';

/**
 * A stand-in Codex that prints the recording of as many items as the number in its prompt
 * names: one recording of each of `sizes`, written here into `dir`.
 */
export function replayByPrompt(dir: string, sizes: number[]): string {
  for (const n of sizes) writeFileSync(join(dir, `items-${n}.jsonl`), recordedJsonl(n));
  const script = join(dir, 'recorded-codex.mjs');
  writeFileSync(
    script,
    `#!${process.execPath}
import { readFileSync } from 'node:fs';
const items = /\\d+/.exec(process.argv.at(-1) ?? '')?.[0];
process.stdout.write(readFileSync(${JSON.stringify(dir)} + '/items-' + items + '.jsonl'));
`,
    { mode: 0o755 },
  );
  return script;
}

/** Waits for the run's final status through its live events (no polling). */
export async function runEnded(api: Api, runId: string): Promise<void> {
  for await (const event of api.services.events.followRun(runId, 0, new AbortController().signal)) {
    if (event.type === 'status' && event.phase === null) return;
  }
}
