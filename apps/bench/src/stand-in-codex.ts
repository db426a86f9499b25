import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Api } from '@retrace/api';

/** A stand-in Codex that prints the recording `items-<n>.jsonl` named by the number in its prompt. */
export function replayByPrompt(dir: string): string {
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
