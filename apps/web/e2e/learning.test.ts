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
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  problems = watchConsole(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const STEP_TIMEOUT = 60_000;
// Six attempts, two at a time (RETRACE_MAX_CONCURRENCY), each a few seconds offline.
const EXPERIMENT_TIMEOUT = 180_000;

interface StoredRun {
  id: string;
  status: string;
  review: { verdict: string; note: string | null } | null;
}

const post = async (path: string, body: unknown) => {
  const response = await server.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as { id: string };
};
const getRun = async (id: string) => (await (await server.request(`/api/runs/${id}`)).json()) as StoredRun;

/** Waits for a run to end, and says what it ended as. */
async function ended(id: string): Promise<string> {
  await expect
    .poll(async () => (await getRun(id)).status, { timeout: STEP_TIMEOUT, interval: 250 })
    .toMatch(/^(succeeded|failed|canceled)$/);
  return (await getRun(id)).status;
}

/** The page is no wider than its viewport: nothing to scroll sideways. */
const sidewaysOverflow = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const PLAN_A = ['create notes/a.txt:', '```', 'alpha', '```', 'run: cat notes/a.txt'].join('\n');
const REPLAY = (file: string) => `Repeat the reference workflow, replacing notes/a.txt with ${file}`;

describe('learning a person can check, in the browser', () => {
  let projectId = '';
  let runA = '';
  let runB = '';
  let experimentUrl = '';
  let patternUrl = '';

  it('a verified run shows the pattern it teaches, its record and the run that learned from it', async () => {
    projectId = (await post('/api/projects', { name: 'learning', verifyCommand: 'test -d notes' })).id;
    runA = (await post(`/api/projects/${projectId}/runs`, { prompt: PLAN_A })).id;
    expect(await ended(runA)).toBe('succeeded');
    runB = (
      await post(`/api/projects/${projectId}/runs`, { prompt: REPLAY('notes/b.txt'), learnFromRunId: runA })
    ).id;
    expect(await ended(runB)).toBe('succeeded');

    await page.goto(server.signInUrl);
    await page.goto(`${server.url}/runs/${runA}`);
    const head = page.getByRole('heading', { name: /Run #1/ });
    await head.getByText('Verified', { exact: true }).waitFor();
    const taught = page.getByRole('region', { name: 'Pattern it teaches' });
    await taught.getByText(/injected 1, succeeded 1/).waitFor();
    const follower = taught.getByRole('list', { name: 'Runs that learned from it' }).getByRole('link');
    await expect(follower.allTextContents()).resolves.toEqual(['#2']);
    await expect(follower.getAttribute('href')).resolves.toBe(`/runs/${runB}`);
    await expect(taught.getByText('cat notes/a.txt').count()).resolves.toBeGreaterThan(0);
    await page.getByRole('button', { name: /notes\/a\.txt/ }).waitFor();
    await screenshot(page, 'learning-1-run-teaches-pattern');

    // The follower says why it got its pattern: a person picked it.
    await follower.click();
    await page.waitForURL(`**/runs/${runB}`);
    const learned = page.getByRole('region', { name: /Learned from #1/ });
    await learned.getByText('Picked by a person.').waitFor();
  });

  it('the pattern page shows where each step came from, the record and the runs given it', async () => {
    await page
      .getByRole('region', { name: /Learned from #1/ })
      .getByRole('link', { name: 'Its page' })
      .click();
    await page.waitForURL(/\/patterns\/pat_/);
    patternUrl = page.url();
    await page.getByRole('heading', { name: 'Pattern of #1' }).waitFor();
    const steps = page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    await steps.first().waitFor();
    // Every step names its source: run #1, one of its recorded steps.
    for (const text of await steps.allTextContents()) expect(text).toMatch(/from #1 · step \d+$/);
    await expect(steps.first().getByRole('link', { name: '#1' }).getAttribute('href')).resolves.toBe(
      `/runs/${runA}`,
    );
    const record = page.getByRole('region', { name: 'Record' }).getByRole('definition');
    await expect(record.allTextContents()).resolves.toEqual(['1', '1', '0', '1', '0', '0']);
    await page.getByText(/^injected 1, succeeded 1, failed 0, verified 1 ·/).waitFor();
    const usedBy = page.getByRole('table', { name: 'Runs given it' });
    await usedBy.locator(`tr[data-run-number="2"]`).getByText('Succeeded').waitFor();
    await expect(page.getByText('<reference_workflow').count()).resolves.toBe(1);
    await screenshot(page, 'learning-2-pattern-page');
  });

  it('a person approves a run with a note: shown on the run, counted in the record', async () => {
    await page.goto(`${server.url}/runs/${runB}`);
    const review = page.getByRole('region', { name: 'Review' });
    await review.getByLabel('Note (optional)').fill('b.txt is what I asked for');
    await review.getByRole('button', { name: 'Approve' }).click();
    await review.getByRole('status').getByText('Approved').waitFor();
    await review.getByText('“b.txt is what I asked for”').waitFor();
    await page
      .getByRole('heading', { name: /Run #2/ })
      .getByText('Approved')
      .waitFor();
    expect((await getRun(runB)).review).toMatchObject({
      verdict: 'approve',
      note: 'b.txt is what I asked for',
    });
    await screenshot(page, 'learning-3-run-approved');
    await page.goto(patternUrl);
    await page.getByText(/^injected 1, succeeded 1, failed 0, verified 1, approved 1 ·/).waitFor();
  });

  it('the New run dialog explains its suggestion, and takes it back for an unrelated prompt', async () => {
    await page.goto(`${server.url}/projects/${projectId}`);
    await page.getByRole('button', { name: 'New run' }).click();
    const dialog = page.getByRole('dialog', { name: 'New run' });
    const learnFrom = dialog.getByLabel('Learn from');
    await dialog.getByLabel('Prompt').fill(REPLAY('notes/c.txt'));
    await expect.poll(() => learnFrom.inputValue()).toBe(runA);
    const note = dialog.getByRole('status');
    await note.getByText('Suggested: #1, score 1').waitFor();
    await note.getByText('holds "notes/a.txt"').waitFor();
    await note.getByText(/^record: injected 1, succeeded 1/).waitFor();
    await screenshot(page, 'learning-4-suggestion-explained');

    // Nothing of the project fits a prompt of sleeps: the earlier pre-selection is taken back.
    await dialog.getByLabel('Prompt').fill('run: sleep 0.1');
    await note.getByText('No pattern of this project fits this prompt well enough to suggest.').waitFor();
    await expect(learnFrom.inputValue()).resolves.toBe('');
    await expect(learnFrom.locator('option', { hasText: '(suggested)' }).count()).resolves.toBe(0);

    // Retrace's choice, sent as autoLearn: it chose none, and the run says why.
    await learnFrom.selectOption({ label: 'Let Retrace choose' });
    await note
      .getByText('No pattern fits this prompt well enough: Retrace will give the run none.')
      .waitFor();
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL((url) => /\/runs\/run_/.test(url.pathname));
    const learned = page.getByRole('region', { name: 'Learned from nothing' });
    await learned.getByText('Retrace looked for a pattern and chose none').waitFor();
    await learned.getByText('no pattern scored 0.5 or more').waitFor();
    await screenshot(page, 'learning-4b-run-chose-none');
  });

  it('an experiment of 3 attempts × 2 arms shows both arms with their intervals, and keeps an approved attempt', async () => {
    await page.goto(`${server.url}/projects/${projectId}?view=experiments`);
    await page.getByRole('button', { name: 'Start an experiment' }).click();
    const dialog = page.getByRole('dialog', { name: 'New experiment' });
    await dialog.getByLabel('Prompt', { exact: true }).fill(REPLAY('notes/e.txt'));
    await dialog.getByLabel('Attempts per arm').fill('3');
    await expect(dialog.getByLabel('Without a pattern (the baseline)').isChecked()).resolves.toBe(true);
    await expect(dialog.getByLabel('With the pattern of').isChecked()).resolves.toBe(true);
    await dialog.getByLabel('Run to learn from').selectOption(runA);
    await screenshot(page, 'learning-5-new-experiment');
    await dialog.getByRole('button', { name: 'Start experiment' }).click();
    await page.waitForURL(/\/experiments\/exp_/);
    experimentUrl = page.url();

    // It follows its attempts as they end, with no reload.
    await page
      .getByRole('heading', { name: /Experiment/ })
      .getByText('Done', { exact: true })
      .waitFor({ timeout: EXPERIMENT_TIMEOUT });
    const without = page.getByRole('region', { name: 'Arm without' });
    const withA = page.getByRole('region', { name: 'Arm with #1' });
    await without.getByText('0/3 · 0% (0%–56%)', { exact: true }).waitFor();
    await withA.getByText('3/3 · 100% (44%–100%)', { exact: true }).waitFor();
    await withA.getByText(/^Against “without”: success \+100 points · turns /).waitFor();
    await expect(without.getByRole('listitem').count()).resolves.toBe(3);
    await expect(withA.getByText('Verified', { exact: true }).count()).resolves.toBe(3);
    await screenshot(page, 'learning-6-experiment-done');

    const approve = withA.getByRole('button', { name: /^Approve #\d+$/ }).first();
    const attempt = Number((await approve.getAttribute('aria-label'))?.split('#')[1]);
    await approve.click();
    const link = page.getByRole('link', { name: `#${attempt}`, exact: true });
    const row = withA.getByRole('listitem').filter({ has: link });
    await row.getByText('Approved', { exact: true }).waitFor();
    await expect(row.getByRole('button', { name: `Approve #${attempt}` }).count()).resolves.toBe(0);
    const href = await row.getByRole('link', { name: `#${attempt}`, exact: true }).getAttribute('href');
    expect((await getRun(href?.split('/').at(-1) ?? '')).review?.verdict).toBe('approve');
    await screenshot(page, 'learning-7-experiment-attempt-approved');

    // The attempt's own page (its diff) leads back to the experiment, and shows the verdict.
    await link.click();
    await page.getByRole('heading', { name: new RegExp(`Run #${attempt}`) }).waitFor();
    await expect(page.getByRole('link', { name: 'an experiment' }).getAttribute('href')).resolves.toBe(
      new URL(experimentUrl).pathname,
    );
    await page.getByText('an attempt of arm “with #1” in').waitFor();
    await page.getByRole('region', { name: 'Review' }).getByRole('status').getByText('Approved').waitFor();
    await page.getByRole('button', { name: /notes\/e\.txt/ }).waitFor();
  });

  it('the project lists its experiments and its patterns, best record first', async () => {
    await page.goto(`${server.url}/projects/${projectId}?view=experiments`);
    const experiments = page.getByRole('table', { name: 'Experiments' });
    await experiments.getByText('0/3 · 0% (0%–56%)').waitFor();
    await experiments.getByText('3/3 · 100% (44%–100%)').waitFor();
    await expect(experiments.getByRole('link').first().getAttribute('href')).resolves.toBe(
      new URL(experimentUrl).pathname,
    );

    await page
      .getByRole('navigation', { name: 'Project views' })
      .getByRole('link', { name: 'Patterns' })
      .click();
    const rows = page.getByRole('table', { name: 'Patterns' }).locator('tbody tr');
    await rows.first().waitFor();
    await expect(rows.first().getByRole('link').textContent()).resolves.toBe('Pattern of #1');
    await rows
      .first()
      .getByText(/^injected 4, succeeded 4, failed 0, verified 4, approved 2$/)
      .waitFor();
    await screenshot(page, 'learning-8-project-patterns');
  });

  it('reads well at 375 px', async () => {
    const narrow = await context.newPage();
    const narrowProblems = watchConsole(narrow);
    await narrow.setViewportSize({ width: 375, height: 812 });
    const pages: Array<[string, string, string]> = [
      [experimentUrl, 'Done', 'learning-9-experiment-375px'],
      [patternUrl, 'Pattern of #1', 'learning-10-pattern-375px'],
      [`${server.url}/runs/${runA}`, 'Pattern it teaches', 'learning-11-run-375px'],
      [`${server.url}/projects/${projectId}?view=patterns`, 'Pattern of #1', 'learning-12-patterns-375px'],
    ];
    for (const [url, text, name] of pages) {
      await narrow.goto(url);
      await narrow.getByText(text, { exact: true }).first().waitFor();
      expect(await sidewaysOverflow(narrow), url).toBeLessThanOrEqual(0);
      await screenshot(narrow, name);
    }
    expect(narrowProblems).toEqual([]);
    await narrow.close();
  });

  it('logged no console errors along the way', () => {
    expect(problems).toEqual([]);
  });
});
