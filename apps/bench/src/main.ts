import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchApi } from './api';
import { benchDiffView } from './diff-view';
import { benchEventPipeline } from './event-pipeline';
import { benchExperiments } from './experiments';
import { benchExtraction } from './extraction';
import { benchFork } from './fork';
import { benchMemory } from './memory';
import { benchOrchestration } from './orchestration';
import { writeReport } from './report';
import type { Figure } from './stats';
import { benchWeb } from './web';

// `npm run bench [-- name ...]` runs every benchmark, or those named.
const all: Record<string, () => Promise<Figure[]> | Figure[]> = {
  'event-pipeline': benchEventPipeline,
  fork: benchFork,
  api: benchApi,
  extraction: benchExtraction,
  orchestration: benchOrchestration,
  web: benchWeb,
  'diff-view': benchDiffView,
  experiments: benchExperiments,
  memory: benchMemory,
};
const wanted = process.argv.slice(2).filter((a) => a in all);
const figures: Figure[] = [];
const failed: string[] = [];
for (const [name, run] of Object.entries(all)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const started = Date.now();
  process.stdout.write(`bench ${name}… `);
  try {
    figures.push(...(await run()));
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    // One broken benchmark should not cost the figures of the others.
    console.log('failed');
    console.error(error);
    failed.push(name);
  }
}
const out = fileURLToPath(new URL('../../../bench-results/', import.meta.url));
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
};
const { md, json } = writeReport(out, figures, meta);
console.log(`\nwritten: ${md}\n         ${json}\n`);
const { readFileSync } = await import('node:fs');
console.log(readFileSync(md, 'utf8'));
if (failed.length > 0) console.error(`failed: ${failed.join(', ')}`);
process.exit(failed.length > 0 ? 1 : 0);
