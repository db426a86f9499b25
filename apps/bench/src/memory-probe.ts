/**
 * One server's memory around a 10,000-step run, in a process of its own so that nothing the
 * bench did before counts: prints `{ idle, peak, after, heapIdle, heapAfter }` in MB as one
 * JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Api } from '@retrace/api';
import { MB, settledMemory } from './memory-reading';
import { replayByPrompt, runEnded } from './stand-in-codex';
import { startSystem } from './system';

const ITEMS = Number(process.argv[2] ?? 10_000);

async function run(api: Api, projectId: string, items: number): Promise<void> {
  const run = await api.caller.runs.create({ projectId, prompt: `run: replay ${items}` });
  await runEnded(api, run.id);
  const ended = await api.caller.runs.get({ id: run.id });
  if (ended.status !== 'succeeded') throw new Error(`the ${items}-item run ${ended.status}: ${ended.error}`);
}

const dir = mkdtempSync(join(tmpdir(), 'retrace-bench-memory-'));
const system = await startSystem(dir, replayByPrompt(dir, [10, ITEMS]));
try {
  const project = await system.api.caller.projects.create({ name: 'bench-memory' });
  await run(system.api, project.id, 10); // what one run prepares once (Codex's home, the catalog)
  const { rss: idle, heap: heapIdle } = settledMemory();
  let peak = idle;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss() / MB);
  }, 20);
  await run(system.api, project.id, ITEMS);
  clearInterval(timer);
  const { rss: after, heap: heapAfter } = settledMemory();
  console.log(JSON.stringify({ idle, peak: Math.max(peak, after), after, heapIdle, heapAfter }));
} finally {
  await system.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
