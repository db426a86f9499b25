import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchEventPipeline } from './event-pipeline';
import { benchExtraction } from './extraction';
import { writeReport } from './report';
import type { Figure } from './stats';

// `npm run bench [-- name ...]` runs every benchmark, or those named.
const all: Record<string, () => Promise<Figure[]> | Figure[]> = {
  'event-pipeline': benchEventPipeline,
  extraction: benchExtraction,
};
const wanted = process.argv.slice(2).filter((a) => a in all);
const figures: Figure[] = [];
for (const [name, run] of Object.entries(all)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const started = Date.now();
  process.stdout.write(`bench ${name}… `);
  const result = await run();
  figures.push(...result);
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
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
process.exit(0);
