import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@retrace/web/browser';
import type { Browser } from 'playwright-core';
import { recordedJsonl } from './recording';
import { runEnded } from './stand-in-codex';
import { alternate, type Figure, figure, spread } from './stats';
import { startSystem } from './system';
import { serveWeb } from './web-server';

const MANY = 200;
const FEW = 2;
// Lines in each changed file: a small source file's worth.
const FILE_LINES = 12;

/**
 * A stand-in Codex that changes as many files in its workspace as the number in its prompt
 * says, then prints a short recording: the diff is real, taken by the runner as for any run.
 */
function changeFilesByPrompt(dir: string): string {
  const jsonl = join(dir, 'codex.jsonl');
  writeFileSync(jsonl, recordedJsonl(1));
  const script = join(dir, 'changing-codex.mjs');
  writeFileSync(
    script,
    `#!${process.execPath}
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const files = Number(/\\d+/.exec(process.argv.at(-1) ?? '')?.[0] ?? 0);
mkdirSync('src/changed', { recursive: true });
for (let i = 0; i < files; i++) {
  const lines = Array.from({ length: ${FILE_LINES} }, (_, n) => 'export const value' + n + ' = compute(' + i + ', ' + n + ');');
  writeFileSync('src/changed/module-' + i + '.ts', lines.join('\\n') + '\\n');
}
process.stdout.write(readFileSync(${JSON.stringify(jsonl)}));
`,
    { mode: 0o755 },
  );
  return script;
}

interface Timings {
  /** Open → every changed file's name in the page. */
  open: number;
  /** "Expand all" → every file's diff drawn. */
  expand: number;
}

const WAIT = { timeout: 120_000, polling: 'raf' } as const;

/** The page's document, as far as a count needs it: this package is not compiled for the DOM. */
type Counted = { document: { querySelectorAll(selector: string): { length: number } } };

/** Run in the page each frame: are there `n` elements matching `selector`? */
const countIs = ({ selector, n }: { selector: string; n: number }) =>
  (globalThis as unknown as Counted).document.querySelectorAll(selector).length === n;

/** Opens the run page for a run of `files` changed files; times the file list, then Expand all. */
async function timeDiffView(browser: Browser, url: string, files: number): Promise<Timings> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    const start = performance.now();
    await page.goto(url);
    await page.waitForFunction(countIs, { selector: 'ul[aria-label="Changed files"] > li', n: files }, WAIT);
    await page.getByText(`src/changed/module-${files - 1}.ts`, { exact: true }).waitFor();
    const open = performance.now() - start;
    const expandStart = performance.now();
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.waitForFunction(
      countIs,
      { selector: 'ul[aria-label="Changed files"] table.diff', n: files },
      WAIT,
    );
    return { open, expand: performance.now() - expandStart };
  } finally {
    await page.close();
  }
}

/**
 * The run page's diff view at 200 changed files, against the same page at 2 (both measured
 * in this run): how long until every file's name is on the page, and until Expand all has
 * drawn every file's diff, in headless Chromium.
 */
export async function benchDiffView(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'retrace-bench-diff-'));
  const system = await startSystem(dir, changeFilesByPrompt(dir));
  const { api } = system;
  const { url, close: closeServer } = await serveWeb(api);
  const browser = await launchChromium();
  try {
    const project = await api.caller.projects.create({ name: 'bench-diff-view' });
    const runOf = async (files: number) => {
      const run = await api.caller.runs.create({ projectId: project.id, prompt: `run: change ${files}` });
      await runEnded(api, run.id);
      const diff = await api.caller.runs.diff({ id: run.id });
      if (diff?.files.length !== files)
        throw new Error(`the ${files}-file run changed ${diff?.files.length ?? 'no'} files`);
      return `${url}/runs/${run.id}`;
    };
    const many = await runOf(MANY);
    const few = await runOf(FEW);
    await timeDiffView(browser, few, FEW); // warm the browser's cache: both measured with the app's files cached
    const times = await alternate(
      3,
      () => timeDiffView(browser, many, MANY),
      () => timeDiffView(browser, few, FEW),
    );
    const baseline = (key: keyof Timings) => ({
      label: `the same page, ${FEW} changed files`,
      value: spread(times.baseline.map((t) => t[key])),
    });
    return [
      figure(
        'Web',
        `run page with ${MANY} changed files, open → every file name on the page`,
        'ms',
        spread(times.measured.map((t) => t.open)),
        baseline('open'),
      ),
      figure(
        'Web',
        `diff of ${MANY} changed files, Expand all → every file's diff drawn`,
        'ms',
        spread(times.measured.map((t) => t.expand)),
        baseline('expand'),
        null,
        `${FILE_LINES} lines per file; files over 400 changed lines wait for their own button`,
      ),
    ];
  } finally {
    await browser.close();
    closeServer();
    await system.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
