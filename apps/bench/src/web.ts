import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '@retrace/web/browser';
import { build } from 'vite';
import { replayByPrompt, runEnded } from './stand-in-codex';
import { type Figure, figure, repeat, spread } from './stats';
import { startSystem } from './system';
import { serveWeb, webDist } from './web-server';

const BIG = 10_000;
const SMALL = 10;

/** The JS a first visit loads: index.html's module script and its preloads, gzipped. */
function initialJsGzipped(dist: string): number {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/?([^"]+\.js)"/g),
  ];
  if (scripts.length === 0)
    throw new Error(`no script in ${join(dist, 'index.html')} (is the web app built?)`);
  return scripts.reduce((sum, m) => sum + gzipSync(readFileSync(join(dist, m[1] ?? ''))).length, 0);
}

/** The floor for a React 19 SPA: a page that renders one heading, built by the same Vite. */
async function minimalReactApp(): Promise<string> {
  // Inside the workspace (node_modules is ignored by git), so react resolves as the app's does.
  const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));
  mkdirSync(cache, { recursive: true });
  const root = mkdtempSync(join(cache, 'minimal-react-'));
  writeFileSync(
    join(root, 'index.html'),
    '<div id="root"></div><script type="module" src="/main.js"></script>',
  );
  writeFileSync(
    join(root, 'main.js'),
    "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(createElement('h1', null, 'hello'));\n",
  );
  const outDir = join(root, 'dist');
  await build({ root, logLevel: 'silent', configFile: false, build: { outDir } });
  return outDir;
}

/**
 * The web app: the JS a first visit downloads, and how long the run page takes to show a
 * 10,000-step transcript (an ended run: its last page of steps read from the end, the last
 * one on screen) in headless Chromium, against the same page for a 10-step run.
 */
export async function benchWeb(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'retrace-bench-web-'));
  const system = await startSystem(dir, replayByPrompt(dir, [BIG, SMALL]));
  const { api, db } = system;
  const { url, close: closeServer } = await serveWeb(api);
  const browser = await launchChromium();
  try {
    const project = await api.caller.projects.create({ name: 'bench-web' });
    const runOf = async (items: number) => {
      const run = await api.caller.runs.create({ projectId: project.id, prompt: `run: replay ${items}` });
      await runEnded(api, run.id);
      const ended = await api.caller.runs.get({ id: run.id });
      if (ended.status !== 'succeeded')
        throw new Error(`the ${items}-item run ${ended.status}: ${ended.error}`);
      const counted = await db.$client.execute({
        sql: 'SELECT count(*) AS n FROM steps WHERE run_id = ?',
        args: [run.id],
      });
      return { id: run.id, steps: Number(counted.rows[0]?.n) };
    };
    const big = await runOf(BIG);
    const small = await runOf(SMALL);
    const render = async (run: { id: string; steps: number }) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const start = performance.now();
      await page.goto(`${url}/runs/${run.id}`);
      await page.getByText(`${run.steps} steps`).waitFor({ timeout: 120_000 });
      // Rendered only near the visible area (the list is virtualised): the page followed to the end.
      await page.locator(`.transcript-row[data-index="${run.steps - 1}"]`).waitFor({ timeout: 120_000 });
      const elapsed = performance.now() - start;
      await page.close();
      return elapsed;
    };
    await render(small); // warm the browser's cache: both measured with the app's files cached
    const bigTimes = await repeat(3, () => render(big));
    const smallTimes = await repeat(3, () => render(small));
    const floorDist = await minimalReactApp();
    const js = initialJsGzipped(webDist) / 1024;
    const floor = initialJsGzipped(floorDist) / 1024;
    rmSync(dirname(floorDist), { recursive: true, force: true });
    return [
      figure(
        'Web',
        'initial JS, gzipped',
        'KB',
        spread([js]),
        { label: 'a minimal React 19 app, same Vite', value: spread([floor]) },
        null,
        'only the project list is in it: the other pages, the diff view among them, load when first opened',
      ),
      figure(
        'Web',
        `run page with a ${big.steps}-step transcript, open → last step on screen`,
        'ms',
        spread(bigTimes),
        { label: `the same page, ${small.steps} steps`, value: spread(smallTimes) },
        { text: 'ratio ≤ 1.5', met: (_, ratio) => ratio !== null && ratio <= 1.5 },
      ),
    ];
  } finally {
    await browser.close();
    closeServer();
    await system.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
