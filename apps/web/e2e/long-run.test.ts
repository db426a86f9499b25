import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApi } from '@retrace/api';
import { runnerModels } from '@retrace/config';
import { closeDb, createDb, migrate } from '@retrace/db';
import { startOfflineModel } from '@retrace/offline-model';
import { createLocalRunnerClient, createRunner } from '@retrace/runner';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import { launchChromium, screenshot, watchConsole } from './browser';

// Retrace composed in this process as the server composes it, with a stand-in Codex that prints
// a recording of 10,000 items: a real 10,000-step run, recorded by the real runner, in minutes
// less than Codex would take.
const ITEMS = 10_000;
const webDist = fileURLToPath(new URL('../dist', import.meta.url));

function recording(items: number): string {
  const lines = ['{"type":"thread.started","thread_id":"long"}', '{"type":"turn.started"}'];
  for (let i = 0; i < items; i++)
    lines.push(
      JSON.stringify({
        type: 'item.completed',
        item: { id: `item_${i}`, type: 'agent_message', text: `Looked at part ${i}.` },
      }),
    );
  lines.push(JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 1, output_tokens: 1 } }));
  return `${lines.join('\n')}\n`;
}

let dir: string;
let close: () => Promise<void>;
let browser: Browser;
let page: Page;
let problems: string[];
let url: string;
let runId: string;
let stepCount: number;
let api: ReturnType<typeof createApi>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-long-run-'));
  writeFileSync(join(dir, 'items.jsonl'), recording(ITEMS));
  const codex = join(dir, 'recorded-codex.mjs');
  writeFileSync(
    codex,
    // With live.flag in place it stays running after its recording until go.flag appears,
    // then says one more thing: a live run of 10,000 steps that a test can end.
    `#!${process.execPath}
import { existsSync, readFileSync } from 'node:fs';
const at = (name) => ${JSON.stringify(dir)} + '/' + name;
const recording = readFileSync(at('items.jsonl'), 'utf8');
if (!existsSync(at('live.flag'))) process.stdout.write(recording);
else {
  // Everything but the turn's end, which comes after one more item.
  const lines = recording.trimEnd().split('\\n');
  const end = lines.pop();
  process.stdout.write(lines.join('\\n') + '\\n');
  const wait = setInterval(() => {
    if (!existsSync(at('go.flag'))) return;
    clearInterval(wait);
    // A command whose output is too long for a live event, then the last word.
    const output = Array.from({ length: 3000 }, (_, i) => 'live line ' + i).join('\\n');
    const command = { type: 'item.completed', item: { id: 'big', type: 'command_execution', command: 'cat big.log', aggregated_output: output, exit_code: 0, status: 'completed' } };
    const last = { type: 'item.completed', item: { id: 'last', type: 'agent_message', text: 'The end, live.' } };
    process.stdout.write(JSON.stringify(command) + '\\n' + JSON.stringify(last) + '\\n' + end + '\\n');
  }, 100);
}
`,
    { mode: 0o755 },
  );
  const model = await startOfflineModel();
  const db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
  await migrate(db);
  const runner = createRunner({
    dataDir: dir,
    models: runnerModels({}, model),
    environment: process.env,
    codexBinary: codex,
  });
  api = createApi({ db, runner: createLocalRunnerClient(runner), dataDir: dir, maxConcurrency: 1 });
  const app = createApp({ api, webDist, token: null, port: () => (server.address() as AddressInfo).port });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    server.close();
    await api.stop();
    await runner.close();
    await model.close();
    closeDb(db);
  };

  const project = await api.caller.projects.create({ name: 'long-run' });
  const run = await api.caller.runs.create({ projectId: project.id, prompt: 'run: replay' });
  for await (const event of api.services.events.followRun(run.id, 0, new AbortController().signal))
    if (event.type === 'status' && event.phase === null) break;
  expect((await api.caller.runs.get({ id: run.id })).status).toBe('succeeded');
  runId = run.id;
  stepCount = (await api.caller.runs.steps({ id: run.id, beforeSeq: 'end', limit: 1 })).total;

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  problems = watchConsole(page);
});
afterAll(async () => {
  await browser?.close();
  await close?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a finished run of 10,000 steps', () => {
  it('opens at its last step, reading only its end, and scrolling up brings the earlier steps', async () => {
    expect(stepCount).toBeGreaterThanOrEqual(ITEMS);
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/trpc/')) asked.push(decodeURIComponent(request.url()));
    });
    await page.goto(`${url}/runs/${runId}`);
    const transcript = page.getByRole('log', { name: 'Transcript' });
    await page.getByText(`${stepCount} steps`).waitFor();
    // The last step is on screen (inside the log's visible area), the list rendered a screenful.
    await transcript.getByRole('article', { name: `Step ${stepCount}: Message` }).waitFor();
    await expect.poll(() => onScreen(page, stepCount)).toBe(true);
    expect(await transcript.getByRole('article').count()).toBeLessThan(60);
    // An ended run is read from its end, not replayed step by step through the live stream.
    expect(asked.some((u) => u.includes('subscriptions.run'))).toBe(false);
    expect(asked.some((u) => u.includes('"beforeSeq":"end"'))).toBe(true);

    // The reader goes to the top of the log by keyboard: the earlier pages load in turn.
    await transcript.focus();
    await page.keyboard.press('Home');
    await transcript.getByRole('article', { name: /^Step 1: / }).waitFor({ timeout: 60_000 });
    await expect.poll(() => onScreen(page, 1)).toBe(true);
    expect(await transcript.getByText('Loading earlier steps…').count()).toBe(0);
    expect(await transcript.getByRole('article').count()).toBeLessThan(60);
    await screenshot(page, 'long-run-top');

    // And back to the latest.
    await page.getByRole('button', { name: 'Jump to latest' }).click();
    await expect.poll(() => onScreen(page, stepCount)).toBe(true);
  });

  it('opened while it runs: reads its end, then follows from there, not from its first event', async () => {
    writeFileSync(join(dir, 'live.flag'), '');
    const project = await api.caller.projects.create({ name: 'long-live' });
    const live = await api.caller.runs.create({ projectId: project.id, prompt: 'run: replay' });
    await expect
      .poll(async () => (await api.caller.runs.steps({ id: live.id, beforeSeq: 'end', limit: 1 })).total, {
        timeout: 120_000,
      })
      .toBeGreaterThanOrEqual(ITEMS);
    expect((await api.caller.runs.get({ id: live.id })).status).toBe('running');
    const total = (await api.caller.runs.steps({ id: live.id, beforeSeq: 'end', limit: 1 })).total;
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/trpc/')) asked.push(decodeURIComponent(request.url()));
    });
    await page.goto(`${url}/runs/${live.id}`);
    const transcript = page.getByRole('log', { name: 'Transcript' });
    await transcript.getByRole('article', { name: `Step ${total}: Message` }).waitFor();
    expect(await transcript.getByRole('article').count()).toBeLessThan(60);
    // The stream starts after the events the page already read.
    await expect.poll(() => asked.some((u) => u.includes('subscriptions.run'))).toBe(true);
    const follow = asked.find((u) => u.includes('subscriptions.run')) ?? '';
    expect(Number(/"lastEventId":"(\d+)"/.exec(follow)?.[1] ?? 0)).toBeGreaterThan(ITEMS);

    // What the run does next arrives live.
    writeFileSync(join(dir, 'go.flag'), '');
    // Exact: the command step's output line quotes the same words.
    await transcript.getByText('The end, live.', { exact: true }).waitFor({ timeout: 60_000 });
    const heading = page.getByRole('heading', { name: /^Transcript/ });
    await expect
      .poll(async () => Number(/(\d+) steps/.exec((await heading.textContent()) ?? '')?.[1]))
      .toBeGreaterThan(total);
    // A long output arrives cut to fit, and still shows as output: its start, not its JSON.
    const command = transcript.getByRole('article', { name: `Step ${total + 1}: Command` });
    await command.getByRole('button', { name: 'Show output' }).click();
    const shown = (await command.locator('pre.output').textContent()) ?? '';
    expect(shown.startsWith('live line 0\nlive line 1\n')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    await command.getByText('Only its start, as it arrived live').waitFor();
    await api.caller.runs.cancel({ id: live.id }).catch(() => undefined);
  });

  it('logged no console errors along the way', () => {
    expect(problems).toEqual([]);
  });
});

/** The step's article is inside the log's visible area, not merely rendered near it. */
function onScreen(page: Page, seq: number): Promise<boolean> {
  return page.getByRole('log', { name: 'Transcript' }).evaluate((log, n) => {
    const article = log.querySelector(`article[aria-label^="Step ${n}:"]`);
    if (!article) return false;
    const area = log.getBoundingClientRect();
    const box = article.getBoundingClientRect();
    return box.top < area.bottom && box.bottom > area.top;
  }, seq);
}
