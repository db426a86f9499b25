import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure, Spread } from './stats';

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
const spreadText = (s: Spread) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;

export function markdown(figures: Figure[], meta: Record<string, string>): string {
  const lines = [
    '# Retrace benchmarks',
    '',
    Object.entries(meta)
      .map(([k, v]) => `${k}: ${v}`)
      .join(' · '),
    '',
    'Median (min–max) of repeated runs; the ratio is median ÷ baseline median, both measured in this run.',
    '',
    '| benchmark | metric | value | baseline | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const f of figures) {
    lines.push(
      `| ${f.benchmark} | ${f.metric} | ${spreadText(f.value)} ${f.unit} | ${f.baseline ? `${f.baseline.label}: ${spreadText(f.baseline.value)} ${f.unit}` : '–'} | ${f.ratio === null ? '–' : fmt(f.ratio)} | ${f.target ?? '–'} | ${f.met === null ? '–' : f.met ? 'yes' : '**no**'} |`,
    );
  }
  const notes = figures.filter((f) => f.note);
  if (notes.length > 0) lines.push('', ...notes.map((f) => `- ${f.benchmark}, ${f.metric}: ${f.note}`));
  return `${lines.join('\n')}\n`;
}

export function writeReport(
  dir: string,
  figures: Figure[],
  meta: Record<string, string>,
): { md: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const md = join(dir, 'bench.md');
  const json = join(dir, 'bench.json');
  writeFileSync(md, markdown(figures, meta));
  writeFileSync(json, `${JSON.stringify({ meta, figures }, null, 2)}\n`);
  return { md, json };
}
