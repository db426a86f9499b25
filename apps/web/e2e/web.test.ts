import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, type ServerProcess, startServer } from '../../server/src/test/server-process';
import { launchChromium, screenshot, watchConsole } from './browser';

let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  problems = watchConsole(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const STEP_TIMEOUT = 60_000;

const bearer = () => ({ authorization: `Bearer ${server.token}` });

/** A REST call made outside the browser, to set up what a test then opens. */
const post = async (path: string, body: unknown) =>
  (await (
    await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer() },
      body: JSON.stringify(body),
    })
  ).json()) as { id: string };

describe('a person using Retrace in the browser', () => {
  let firstRunUrl = '';
  let projectUrl = '';

  it('creates a project, with the API’s validation shown at the field', async () => {
    // The URL the server printed signs the browser in (see token-flow.test.ts).
    await page.goto(server.signInUrl);
    await page.getByText('Offline model · a simulator, not an LLM').waitFor();
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await expect(dialog.getByText('must not be empty').textContent()).resolves.toBe('must not be empty');
    await dialog.getByLabel('Name').fill('web-demo');
    await dialog.getByLabel('Verify command').fill('test -d notes');
    await screenshot(page, '1-new-project-dialog');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/proj_/);
    projectUrl = page.url();
    await page.getByRole('heading', { name: 'web-demo' }).waitFor();
  });

  it('starts a run with a plan and watches its transcript fill live', async () => {
    await page.getByRole('button', { name: 'New run' }).click();
    const dialog = page.getByRole('dialog', { name: 'New run' });
    await dialog.getByRole('button', { name: 'a plan to run' }).click();
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/run_/);
    firstRunUrl = page.url();
    const transcript = page.getByRole('log', { name: 'Transcript' });
    await transcript.getByText('$ cat notes/hello.txt').waitFor({ timeout: STEP_TIMEOUT });
    await page.locator('.status-succeeded').first().waitFor({ timeout: STEP_TIMEOUT });
    await transcript.getByText('$ test -d notes').waitFor();
    await screenshot(page, '2-run-succeeded');
  });

  it('opens the diff and downloads the raw JSONL', async () => {
    await page.getByRole('button', { name: /notes\/hello\.txt/ }).click();
    await page.locator('.patch').getByText('Hello from Retrace').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'codex.jsonl' }).click(),
    ]);
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { type: string }).type)).toContain('turn.completed');
    await screenshot(page, '3-run-diff');
  });

  it('starts a follow-up run that repeats the workflow for a new file, with the pattern previewed', async () => {
    await page.getByRole('button', { name: 'Follow-up run' }).click();
    const dialog = page.getByRole('dialog', { name: 'New run' });
    const firstRunId = firstRunUrl.split('/').at(-1) ?? '';
    await expect.poll(() => dialog.getByLabel('Learn from').inputValue()).toBe(firstRunId);
    await expect.poll(() => dialog.getByLabel('Continue workspace from').inputValue()).toBe(firstRunId);
    await dialog.getByRole('button', { name: 'repeat it with new values' }).click();
    const preview = dialog.getByRole('complementary', { name: 'Pattern preview' });
    await preview.getByText(/\/ 600 tokens/).waitFor();
    await expect(preview.getByText('cat notes/hello.txt').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, '4-new-run-with-pattern-preview');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL((url) => url.toString() !== firstRunUrl && /\/runs\/run_/.test(url.toString()));
    await page
      .getByRole('log', { name: 'Transcript' })
      .getByText('$ cat notes/again.txt')
      .waitFor({ timeout: STEP_TIMEOUT });
    await page.locator('.status-succeeded').first().waitFor({ timeout: STEP_TIMEOUT });
    await page.getByRole('heading', { name: /Learned from #1/ }).waitFor();
    // The Prompt shows what each model layer was sent, as the run stores it.
    const stored = (await (
      await fetch(`${server.url}/api/runs/${page.url().split('/').at(-1)}`, { headers: bearer() })
    ).json()) as {
      systemInstructions: string;
      codexInstructions: string;
    };
    expect(stored.codexInstructions).toContain('<reference_workflow');
    await page.getByText('Prompt', { exact: true }).click();
    for (const [name, text] of [
      ['System message sent to the agent model', stored.systemInstructions],
      ['Developer instructions sent to Codex', stored.codexInstructions],
    ] as const) {
      await expect(page.getByRole('region', { name }).locator('pre').textContent()).resolves.toBe(text);
    }
    await screenshot(page, '5-follow-up-run');
  });

  it('shows the badges in the run list, and opens /ui/runs/:id directly', async () => {
    await page.goto(projectUrl);
    const first = page.locator('tr[data-run-number="1"]');
    const second = page.locator('tr[data-run-number="2"]');
    await first.getByText('pattern').waitFor();
    // A follow-up learned from #1 and continued its workspace: both named.
    await second.locator('.badge', { hasText: 'learned from' }).getByRole('link', { name: '#1' }).waitFor();
    await second.locator('.badge', { hasText: 'continued from' }).getByRole('link', { name: '#1' }).waitFor();
    await screenshot(page, '6-project-runs');

    await page.goto(`${server.url}/ui/runs/${firstRunUrl.split('/').at(-1)}`);
    await page.getByRole('heading', { name: /Run #1/ }).waitFor();
    await page.getByRole('log', { name: 'Transcript' }).getByText('$ cat notes/hello.txt').waitFor();
  });

  it('suggests the run to learn from as the person types, until they pick one themselves', async () => {
    await page.goto(projectUrl);
    await page.getByRole('button', { name: 'New run' }).click();
    const dialog = page.getByRole('dialog', { name: 'New run' });
    const learnFrom = dialog.getByLabel('Learn from');
    await expect(learnFrom.inputValue()).resolves.toBe('');
    await dialog.getByRole('button', { name: 'repeat it with new values' }).click();
    // A successful run of this project whose workflow matches: picked, and marked.
    await expect.poll(() => learnFrom.inputValue()).toMatch(/^run_/);
    const picked = await learnFrom.inputValue();
    await expect(learnFrom.locator(`option[value="${picked}"]`).textContent()).resolves.toMatch(
      /\(suggested\)$/,
    );
    await learnFrom.selectOption('');
    await dialog
      .getByLabel('Prompt')
      .fill('create notes/other.txt:\n```\nother\n```\nrun: cat notes/other.txt');
    await page.waitForTimeout(600); // past the suggestion's debounce: a new suggestion must not override
    await expect(learnFrom.inputValue()).resolves.toBe('');
    await page.keyboard.press('Escape');
  });

  it('cancels a running run, then retries it as a new run', async () => {
    const project = await post('/api/projects', { name: 'cancel-retry' });
    const run = await post(`/api/projects/${project.id}/runs`, { prompt: 'run: sleep 30; echo slept' });
    await page.goto(`${server.url}/runs/${run.id}`);
    await page
      .getByRole('log', { name: 'Transcript' })
      .getByText('codex_exec: run: sleep 30; echo slept')
      .waitFor({ timeout: STEP_TIMEOUT });
    // The command shows while it runs, long before its step arrives.
    await page
      .getByRole('status', { name: 'Running now' })
      .getByText('$ sleep 30; echo slept')
      .waitFor({ timeout: STEP_TIMEOUT });
    await screenshot(page, '6a-command-running');
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.status-canceled').first().waitFor({ timeout: STEP_TIMEOUT });
    await expect(page.getByRole('status', { name: 'Running now' }).count()).resolves.toBe(0);
    await page
      .getByRole('alert')
      .getByText(/cancel/i)
      .waitFor();
    // The command the cancel cut off is a step of its own, marked canceled.
    const cutOff = page.getByRole('log', { name: 'Transcript' }).locator('.step-canceled');
    await cutOff.getByText('$ sleep 30; echo slept').waitFor({ timeout: STEP_TIMEOUT });
    await cutOff.getByText('canceled', { exact: true }).waitFor();
    await screenshot(page, '6b-run-canceled');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForURL((url) => /\/runs\/run_/.test(url.toString()) && !url.toString().endsWith(run.id));
    await page.getByRole('heading', { name: /Run #2/ }).waitFor();
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.status-canceled').first().waitFor({ timeout: STEP_TIMEOUT });
  });

  it('follows a long transcript to its latest step, until the reader scrolls up', async () => {
    const project = await post('/api/projects', { name: 'long-transcript' });
    // Long commands wrap: rows much taller than the list's estimate, as real transcripts have.
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const plan = Array.from({ length: 40 }, (_, i) => `run: echo line-${i} ${words}`).join('\n');
    const run = await post(`/api/projects/${project.id}/runs`, { prompt: plan });
    await page.goto(`${server.url}/runs/${run.id}`);
    const transcript = page.getByRole('log', { name: 'Transcript' });
    // The run's last step is in the log's visible area, not merely rendered (the list renders
    // a few rows beyond it).
    const lastStepOnScreen = async () => {
      const count = Number((await page.getByText(/^\d+ steps?$/).textContent())?.split(' ')[0]);
      return transcript.evaluate((log, last) => {
        const row = log.querySelector(`.transcript-row[data-index="${last}"]`);
        if (!row) return false;
        const area = log.getBoundingClientRect();
        const box = row.getBoundingClientRect();
        return box.top < area.bottom && box.bottom > area.top;
      }, count - 1);
    };
    await page.locator('.status-succeeded').first().waitFor({ timeout: STEP_TIMEOUT });
    // The live steps kept it at the bottom.
    await expect.poll(lastStepOnScreen).toBe(true);
    await expect(page.getByRole('button', { name: 'Jump to latest' }).count()).resolves.toBe(0);
    // Opened once it has ended, every step arrives at once: it still opens at the latest.
    await page.reload();
    await expect.poll(lastStepOnScreen).toBe(true);

    await transcript.hover();
    await page.mouse.wheel(0, -2000);
    await page.getByRole('button', { name: 'Jump to latest' }).click();
    await expect.poll(lastStepOnScreen).toBe(true);
    await screenshot(page, '7-long-transcript');
  });

  it('a project that opts out of the sandbox says so, on its page and on its runs', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Name').fill('unsandboxed');
    await dialog.getByLabel(/Full access/).check();
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/proj_/);
    const warning = page.getByRole('note').filter({ hasText: 'Full access.' });
    await expect(warning.textContent()).resolves.toMatch(/Runs of this project are not sandboxed/);
    const run = await post(`/api/projects/${page.url().split('/').at(-1)}/runs`, { prompt: 'run: true' });
    await page.goto(`${server.url}/runs/${run.id}`);
    await expect(page.getByRole('note').filter({ hasText: 'Full access.' }).textContent()).resolves.toMatch(
      /This run was not sandboxed/,
    );
    // A sandboxed project's run says nothing of the kind.
    await page.goto(firstRunUrl);
    await page.getByRole('heading', { name: /Run #1/ }).waitFor();
    await expect(page.getByRole('note').filter({ hasText: 'Full access.' }).count()).resolves.toBe(0);
  });

  it('reads well at 375 px and works by keyboard', async () => {
    const narrow = await context.newPage();
    const narrowProblems = watchConsole(narrow);
    await narrow.setViewportSize({ width: 375, height: 812 });
    await narrow.goto(firstRunUrl);
    await narrow.getByRole('log', { name: 'Transcript' }).getByText('$ cat notes/hello.txt').waitFor();
    const overflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(narrow, '8-run-375px');

    await narrow.goto(server.url);
    await narrow.getByRole('button', { name: 'New project' }).focus();
    await narrow.keyboard.press('Enter');
    const dialog = narrow.getByRole('dialog', { name: 'New project' });
    await dialog.waitFor();
    expect(await narrow.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(
      true,
    );
    for (let i = 0; i < 12; i++) await narrow.keyboard.press('Tab');
    expect(await narrow.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(
      true,
    );
    await narrow.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await narrow.goto(`${server.url}/guide`);
    await narrow.getByRole('heading', { name: 'Testing guide' }).waitFor();
    await screenshot(narrow, '9-guide-375px');
    expect(narrowProblems).toEqual([]);
    await narrow.close();
  });

  it('logged no console errors along the way', () => {
    expect(problems).toEqual([]);
  });
});
