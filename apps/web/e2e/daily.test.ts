import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, type ServerProcess, startServer } from '../../server/src/test/server-process';
import { launchChromium, screenshot, watchConsole } from './browser';

// The web app a person keeps open all day: lineage, a diff of many files, artifacts read in
// place, a running run's clock, filters, editing and deleting, and the keyboard.

let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
// Dates are read in one zone and language, whatever the machine's.
const CONTEXT = { locale: 'en-US', timezoneId: 'UTC' } as const;

beforeAll(async () => {
  server = await startServer({ env: { RETRACE_MAX_CONCURRENCY: '4' } });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: DESKTOP, ...CONTEXT });
  page = await context.newPage();
  problems = watchConsole(page);
  await page.goto(server.signInUrl);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const STEP_TIMEOUT = 60_000;

interface StoredRun {
  id: string;
  number: number;
  status: string;
  createdAt: number;
  startedAt: number | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  learnFromRunId: string | null;
  fromRunId: string | null;
  retryOfRunId: string | null;
}

async function call(method: string, path: string, body?: unknown) {
  const response = await server.request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as StoredRun & { name: string; verifyCommand: string | null };
}
const post = (path: string, body: unknown) => call('POST', path, body);
const getRun = (id: string) => call('GET', `/api/runs/${id}`);

/** Reads `read` until `done` holds of it (polled outside a test too: the shared set-up uses it). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const ended = (id: string) =>
  until(
    () => getRun(id),
    (run) => ['succeeded', 'failed', 'canceled'].includes(run.status),
    `run ${id} to end`,
  );
const started = (id: string) =>
  until(
    () => getRun(id),
    (run) => run.status === 'running',
    `run ${id} to start`,
  );

/** How far the page scrolls sideways: nothing at all is wanted. */
const sidewaysOverflow = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The accessible name of what has focus, or the tag of an unnamed element. */
const focused = (p: Page) =>
  p.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'body';
    return element.getAttribute('aria-label') ?? element.textContent?.trim() ?? element.tagName;
  });

async function phone(): Promise<{ narrow: Page; narrowProblems: string[] }> {
  const narrow = await context.newPage();
  await narrow.setViewportSize(PHONE);
  return { narrow, narrowProblems: watchConsole(narrow) };
}

const PLAN = ['create notes/hello.txt:', '```', 'Hello from Retrace', '```', 'run: cat notes/hello.txt'].join(
  '\n',
);
const REPEAT =
  'Repeat the reference workflow, replacing notes/hello.txt with notes/again.txt, "Hello from Retrace" with "Hello again"';
// 200 small files and one of 500 lines: the diff view's hard case (notes/ for the verify command).
const MANY_FILES =
  'run: mkdir -p notes many && for i in $(seq 1 200); do echo "line $i" > many/file-$i.txt; done && seq 1 500 > big.txt';

describe('the web app a person keeps open all day', () => {
  let projectId = '';
  let first: StoredRun;
  let second: StoredRun;
  let retried: StoredRun;
  let failed: StoredRun;
  let manyFiles: StoredRun;

  beforeAll(async () => {
    projectId = (await post('/api/projects', { name: 'daily', verifyCommand: 'test -d notes' })).id;
    first = await ended((await post(`/api/projects/${projectId}/runs`, { prompt: PLAN })).id);
    expect(first.status).toBe('succeeded');
    second = await ended(
      (
        await post(`/api/projects/${projectId}/runs`, {
          prompt: REPEAT,
          learnFromRunId: first.id,
          fromRunId: first.id,
        })
      ).id,
    );
    expect(second.status).toBe('succeeded');
    // A retry keeps what it retries learned from and continued: all three links at once.
    retried = await ended((await post(`/api/runs/${second.id}/retry`, {})).id);
    failed = await ended((await post(`/api/projects/${projectId}/runs`, { prompt: 'run: echo zebra' })).id);
    expect(failed.status).toBe('failed');
    manyFiles = await ended((await post(`/api/projects/${projectId}/runs`, { prompt: MANY_FILES })).id);
  });

  it('names where each run came from, in the list and on the run page, as run numbers', async () => {
    expect(retried).toMatchObject({ learnFromRunId: first.id, fromRunId: first.id, retryOfRunId: second.id });
    await page.goto(`${server.url}/projects/${projectId}`);
    const row = page.locator(`tr[data-run-number="${retried.number}"]`);
    for (const [label, run] of [
      ['learned from', first],
      ['continued from', first],
      ['retry of', second],
    ] as const) {
      const badge = row.locator('.badge', { hasText: label });
      await expect(badge.textContent()).resolves.toBe(`${label} #${run.number}`);
      await expect(badge.getByRole('link').getAttribute('href')).resolves.toBe(`/runs/${run.id}`);
    }
    const secondRow = page.locator(`tr[data-run-number="${second.number}"]`);
    await expect(secondRow.locator('.badge', { hasText: 'retry of' }).count()).resolves.toBe(0);
    await screenshot(page, 'daily-1-lineage-list');

    await page.goto(`${server.url}/runs/${retried.id}`);
    const header = page.locator('.run-header');
    await header.getByText(`retry of #${second.number}`).waitFor();
    await expect(header.locator('.lineage').textContent()).resolves.toBe(
      `learned from #${first.number} · continued from #${first.number} · retry of #${second.number}`,
    );
    await header.getByRole('link', { name: `#${second.number}` }).click();
    await page.getByRole('heading', { name: new RegExp(`Run #${second.number}`) }).waitFor();
    expect(page.url()).toBe(`${server.url}/runs/${second.id}`);

    const { narrow, narrowProblems } = await phone();
    await narrow.goto(`${server.url}/projects/${projectId}`);
    await narrow.locator(`tr[data-run-number="${retried.number}"] .badge`, { hasText: 'retry of' }).waitFor();
    expect(await sidewaysOverflow(narrow)).toBeLessThanOrEqual(0);
    await narrow.goto(`${server.url}/runs/${retried.id}`);
    await narrow.locator('.run-header').getByText('retry of').waitFor();
    expect(await sidewaysOverflow(narrow)).toBeLessThanOrEqual(0);
    await screenshot(narrow, 'daily-1-lineage-375px');
    expect(narrowProblems).toEqual([]);
    await narrow.close();
  });

  it('shows a 200-file diff across the page: counts, split view, expand and collapse, large files on request', async () => {
    expect(manyFiles.status).toBe('succeeded');
    await page.goto(`${server.url}/runs/${manyFiles.id}`);
    const panel = page.getByRole('region', { name: /^Changes/ });
    const files = panel.getByRole('list', { name: 'Changed files' }).locator(':scope > li');
    await panel.getByText('201 files').waitFor();
    await expect(files.count()).resolves.toBe(201);
    // Each file says what changed in it.
    await expect(panel.getByRole('button', { name: /many\/file-17\.txt/ }).textContent()).resolves.toMatch(
      /\+1−0$/,
    );
    await expect(panel.getByRole('button', { name: /big\.txt/ }).textContent()).resolves.toMatch(/\+500−0$/);

    // In the side column it is narrow; across the page it has the page's width.
    const sideWidth = (await panel.boundingBox())?.width ?? 0;
    await panel.getByRole('button', { name: 'Full width' }).click();
    await expect(
      panel.getByRole('button', { name: 'Full width' }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    const wideWidth = (await panel.boundingBox())?.width ?? 0;
    expect(sideWidth).toBeLessThan(500);
    expect(wideWidth).toBeGreaterThan(1100);

    await panel.getByRole('button', { name: 'Expand all' }).click();
    // Every small file opens; the 500-line one waits behind its button.
    await expect.poll(() => panel.locator('table.diff.diff-unified').count()).toBe(200);
    const showBig = panel.getByRole('button', { name: 'Show the diff of big.txt' });
    await showBig.waitFor();
    await showBig.click();
    await expect.poll(() => panel.locator('table.diff').count()).toBe(201);
    await panel.getByRole('button', { name: 'Split' }).click();
    await expect.poll(() => panel.locator('table.diff.diff-split').count()).toBe(201);
    await expect(panel.locator('table.diff-unified').count()).resolves.toBe(0);
    await screenshot(page, 'daily-2-diff-wide-split');
    await panel.getByRole('button', { name: 'Collapse all' }).click();
    await expect(panel.locator('table.diff').count()).resolves.toBe(0);
    await expect(panel.locator('[aria-expanded="true"]').count()).resolves.toBe(0);

    // The filter finds one file among many.
    await panel.getByRole('searchbox', { name: 'Filter files' }).fill('file-17');
    await expect.poll(() => files.count()).toBe(11); // file-17 and file-170…179
    await panel.getByRole('searchbox', { name: 'Filter files' }).fill('');
    await expect.poll(() => files.count()).toBe(201);

    // The choice is kept: the next run page opens with the diff across the page, split.
    await page.reload();
    await expect(
      page
        .getByRole('region', { name: /^Changes/ })
        .getByRole('button', { name: 'Split' })
        .getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await page
      .getByRole('region', { name: /^Changes/ })
      .getByRole('button', { name: 'Full width' })
      .click();
    await page
      .getByRole('region', { name: /^Changes/ })
      .getByRole('button', { name: 'Unified' })
      .click();

    const { narrow, narrowProblems } = await phone();
    await narrow.goto(`${server.url}/runs/${manyFiles.id}`);
    const narrowPanel = narrow.getByRole('region', { name: /^Changes/ });
    await narrowPanel.getByText('201 files').waitFor();
    // One column already: no width to choose.
    await expect(narrowPanel.getByRole('button', { name: 'Full width' }).isVisible()).resolves.toBe(false);
    await narrowPanel.getByRole('button', { name: 'Expand all' }).click();
    await expect.poll(() => narrowPanel.locator('table.diff').count()).toBe(200);
    expect(await sidewaysOverflow(narrow)).toBeLessThanOrEqual(0);
    await screenshot(narrow, 'daily-2-diff-375px');
    expect(narrowProblems).toEqual([]);
    await narrow.close();
  });

  it('reads artifacts in the page: JSONL and the log as text, the patch as a diff', async () => {
    await page.goto(`${server.url}/runs/${first.id}`);
    const artifacts = page.getByRole('region', { name: 'Artifacts' });
    const readJsonl = artifacts.getByRole('button', { name: 'Read codex.jsonl' });
    await readJsonl.click();
    const jsonl = page.getByRole('dialog', { name: 'codex.jsonl' });
    const jsonlText = jsonl.getByRole('region', { name: 'Contents of codex.jsonl' });
    await jsonlText.getByText('"type":"turn.completed"').waitFor();
    const lines = ((await jsonlText.textContent()) ?? '').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { type: string }).type)).toContain('thread.started');
    await page.keyboard.press('Escape');
    await jsonl.waitFor({ state: 'detached' });
    // Closed, the focus is back on the button that opened it.
    await expect.poll(() => focused(page)).toBe('Read codex.jsonl');

    await artifacts.getByRole('button', { name: 'Read run.log' }).click();
    const log = page.getByRole('dialog', { name: 'run.log' });
    await expect(log.getByRole('region', { name: 'Contents of run.log' }).textContent()).resolves.toMatch(
      /cat notes\/hello\.txt/,
    );
    await log.getByRole('button', { name: 'Close' }).click();

    await artifacts.getByRole('button', { name: 'Read diff.patch' }).click();
    const patch = page.getByRole('dialog', { name: 'diff.patch' });
    await patch.locator('table.diff .diff-code-insert', { hasText: 'Hello from Retrace' }).waitFor();
    await patch.getByRole('heading', { name: 'notes/hello.txt' }).waitFor();
    await patch.getByRole('button', { name: 'Split' }).click();
    await patch.locator('table.diff-split').waitFor();
    await patch.getByRole('button', { name: 'Unified' }).click();
    await screenshot(page, 'daily-3-artifact-patch');

    const { narrow, narrowProblems } = await phone();
    await narrow.goto(`${server.url}/runs/${first.id}`);
    await narrow.getByRole('button', { name: 'Read codex.jsonl' }).click();
    await narrow.getByRole('dialog', { name: 'codex.jsonl' }).getByText('"type":"turn.completed"').waitFor();
    expect(await sidewaysOverflow(narrow)).toBeLessThanOrEqual(0);
    const box = await narrow.getByRole('dialog', { name: 'codex.jsonl' }).boundingBox();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 999) <= PHONE.width).toBe(true);
    await screenshot(narrow, 'daily-3-artifact-375px');
    expect(narrowProblems).toEqual([]);
    await narrow.close();
  });

  it('a running run’s header shows its clock ticking and the tokens so far', async () => {
    const project = await post('/api/projects', { name: 'daily-running' });
    // The run continues another, so it waits for it: the page reads it queued, no tokens yet.
    const source = await post(`/api/projects/${project.id}/runs`, { prompt: 'run: sleep 120' });
    await started(source.id);
    const run = await post(`/api/projects/${project.id}/runs`, {
      prompt: 'run: sleep 30; echo slept',
      fromRunId: source.id,
    });
    // Its transcript, where the page's event stream starts, is read only once the run has
    // started and spent its first tokens: what happened before that is in no event to come.
    await page.route(
      /\/trpc\/[^?]*runs\.steps/,
      async (route) => {
        await until(
          () => getRun(run.id),
          (read) => read.usage !== null,
          `run ${run.id} to count tokens`,
        );
        await route.continue();
      },
      { times: 1 },
    );
    await page.goto(`${server.url}/runs/${run.id}`);
    const header = page.locator('.run-header');
    await header.getByText('waiting to start').waitFor();
    await post(`/api/runs/${source.id}/cancel`, {});
    await started(run.id);
    const clock = header.getByRole('timer', { name: 'Time running' });
    await clock.waitFor({ timeout: STEP_TIMEOUT });
    const before = await clock.textContent();
    expect(before).toMatch(/^\d+ s$/);
    await expect.poll(() => clock.textContent(), { timeout: 5_000 }).not.toBe(before);
    // The first model turn has been counted by the time the command runs.
    await page.getByRole('status', { name: 'Running now' }).waitFor({ timeout: STEP_TIMEOUT });
    await header.getByText(/\d+ tokens so far/).waitFor({ timeout: STEP_TIMEOUT });
    await expect(header.textContent()).resolves.not.toMatch(/–/);
    await screenshot(page, 'daily-4-running-header');

    const { narrow, narrowProblems } = await phone();
    await narrow.goto(`${server.url}/runs/${run.id}`);
    await narrow.locator('.run-header').getByRole('timer', { name: 'Time running' }).waitFor();
    expect(await sidewaysOverflow(narrow)).toBeLessThanOrEqual(0);
    expect(narrowProblems).toEqual([]);
    await narrow.close();

    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.status-canceled').first().waitFor({ timeout: STEP_TIMEOUT });
    await expect(header.getByRole('timer').count()).resolves.toBe(0);
    await expect(header.textContent()).resolves.toMatch(/tokens/);
  });

  it('filters the run list by status and searches prompts, kept in the address', async () => {
    await page.goto(`${server.url}/projects/${projectId}`);
    const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
    const numbers = async () =>
      (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-run-number'))))).sort();
    await expect.poll(numbers).toEqual([1, 2, 3, 4, 5]);

    await page.getByRole('combobox', { name: 'Status' }).selectOption('failed');
    await expect.poll(numbers).toEqual([failed.number]);
    expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
    await page.reload();
    await expect.poll(numbers).toEqual([failed.number]);
    await expect(page.getByRole('combobox', { name: 'Status' }).inputValue()).resolves.toBe('failed');
    await page.getByRole('combobox', { name: 'Status' }).selectOption('');

    const search = page.getByRole('searchbox', { name: 'Search prompts' });
    await search.fill('zebra');
    await expect.poll(numbers).toEqual([failed.number]);
    expect(new URL(page.url()).searchParams.get('q')).toBe('zebra');
    await search.fill('again.txt');
    await expect.poll(numbers).toEqual([second.number, retried.number].sort());
    // Both at once: no failed run's prompt holds those words.
    await page.getByRole('combobox', { name: 'Status' }).selectOption('failed');
    await page.getByText('No run matches.').waitFor();
    await page.getByRole('button', { name: 'Show every run' }).click();
    await expect.poll(numbers).toEqual([1, 2, 3, 4, 5]);
    await expect(search.inputValue()).resolves.toBe('');
    await screenshot(page, 'daily-5-run-filters');

    const { narrow, narrowProblems } = await phone();
    await narrow.goto(`${server.url}/projects/${projectId}?status=succeeded`);
    await narrow.getByRole('searchbox', { name: 'Search prompts' }).waitFor();
    await narrow.locator(`tr[data-run-number="${first.number}"]`).waitFor();
    expect(await sidewaysOverflow(narrow)).toBeLessThanOrEqual(0);
    const searchBox = await narrow.getByRole('searchbox', { name: 'Search prompts' }).boundingBox();
    expect((searchBox?.x ?? 0) + (searchBox?.width ?? 999)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(narrow, 'daily-5-run-filters-375px');
    expect(narrowProblems).toEqual([]);
    await narrow.close();
  });

  it('shows the date of a time that is not today', async () => {
    const startedAt = first.startedAt ?? first.createdAt;
    const cell = (p: Page) => p.locator(`tr[data-run-number="${first.number}"] td`).last();
    const later = async (ms: number) => {
      const other = await context.newPage();
      await other.clock.setFixedTime(startedAt + ms);
      await other.goto(`${server.url}/projects/${projectId}`);
      await cell(other).waitFor();
      const text = await cell(other).textContent();
      await other.close();
      return text;
    };
    const time = new Date(startedAt).toLocaleTimeString('en-US', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'UTC',
    });
    const day = new Date(startedAt).toLocaleDateString('en-US', {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    await expect(later(24 * 3600_000)).resolves.toBe(`yesterday ${time}`);
    await expect(later(5 * 24 * 3600_000)).resolves.toBe(`${day}, ${time}`);
    await expect(later(400 * 24 * 3600_000)).resolves.toBe(
      `${new Date(startedAt).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })}, ${time}`,
    );
    // The same day: the time alone.
    await expect(later(0)).resolves.toBe(
      new Date(startedAt).toLocaleTimeString('en-US', { timeZone: 'UTC' }),
    );
  });

  it('edits a project, which its name then finds, as the CLI’s names do', async () => {
    await page.goto(`${server.url}/projects/daily`);
    await page.getByRole('heading', { name: 'daily', exact: true }).waitFor();
    await page.locator(`tr[data-run-number="${first.number}"]`).waitFor();
    await page.getByRole('button', { name: 'Edit project' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit project' });
    await expect(dialog.getByLabel('Name').inputValue()).resolves.toBe('daily');
    await expect(dialog.getByLabel('Verify command').inputValue()).resolves.toBe('test -d notes');
    await dialog.getByLabel('Name').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('must not be empty').waitFor();
    await dialog.getByLabel('Name').fill('daily-renamed');
    await dialog.getByLabel('Verify command').fill('test -f notes/hello.txt');
    await dialog.getByLabel('Base prompt').fill('You are careful.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'daily-renamed' }).waitFor();
    await page.getByText('test -f notes/hello.txt').waitFor();
    await expect.poll(() => focused(page)).toBe('Edit project');
    const stored = await call('GET', `/api/projects/${projectId}`);
    expect(stored).toMatchObject({ name: 'daily-renamed', verifyCommand: 'test -f notes/hello.txt' });
    expect(page.url()).toBe(`${server.url}/projects/${projectId}`);

    await page.goto(`${server.url}/projects/daily-renamed`);
    await page.getByRole('heading', { name: 'daily-renamed' }).waitFor();
    await page.locator(`tr[data-run-number="${first.number}"]`).waitFor();
    // The old name leads nowhere, and says where to go.
    await page.goto(`${server.url}/projects/daily`);
    const alert = page.getByRole('alert');
    await alert.getByText('no project has the id or name “daily”').waitFor();
    await alert.getByRole('link', { name: 'Back to the projects' }).click();
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    expect(page.url()).toBe(`${server.url}/`);
  });

  it('deletes a run and a project after asking, and shows why one is refused while active', async () => {
    const project = await post('/api/projects', { name: 'daily-doomed' });
    const keep = await ended(
      (await post(`/api/projects/${project.id}/runs`, { prompt: 'run: echo kept' })).id,
    );
    const doomed = await ended(
      (await post(`/api/projects/${project.id}/runs`, { prompt: 'run: echo gone' })).id,
    );
    const active = await post(`/api/projects/${project.id}/runs`, { prompt: 'run: sleep 30' });
    await started(active.id);

    // An active run: the server refuses, and the dialog says why.
    await page.goto(`${server.url}/runs/${active.id}`);
    await page.getByRole('button', { name: 'Delete run' }).click();
    let dialog = page.getByRole('dialog', { name: `Delete run #${active.number}` });
    await dialog.getByRole('button', { name: 'Delete run' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/is running; cancel it first/)
      .waitFor();
    await screenshot(page, 'daily-6-delete-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => focused(page)).toBe('Delete run');
    await expect(getRun(active.id)).resolves.toMatchObject({ status: 'running' });

    // The project with an active run is refused too.
    await page.goto(`${server.url}/projects/${project.id}`);
    await page.getByRole('button', { name: 'Delete project' }).click();
    dialog = page.getByRole('dialog', { name: 'Delete project daily-doomed' });
    await dialog.getByText('its 3 runs').waitFor();
    await dialog.getByRole('button', { name: 'Delete project' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/active run/)
      .waitFor();
    await page.keyboard.press('Escape');

    // An ended run: gone, and the list says so.
    await page.goto(`${server.url}/runs/${doomed.id}`);
    await page.getByRole('button', { name: 'Delete run' }).click();
    dialog = page.getByRole('dialog', { name: `Delete run #${doomed.number}` });
    await dialog.getByRole('button', { name: 'Delete run' }).click();
    await page.waitForURL(`${server.url}/projects/${project.id}`);
    await page.locator(`tr[data-run-number="${keep.number}"]`).waitFor();
    await expect(page.locator(`tr[data-run-number="${doomed.number}"]`).count()).resolves.toBe(0);
    expect((await server.request(`/api/runs/${doomed.id}`)).status).toBe(404);

    await call('POST', `/api/runs/${active.id}/cancel`, {});
    await ended(active.id);
    await page.reload();
    await page.getByRole('button', { name: 'Delete project' }).click();
    dialog = page.getByRole('dialog', { name: 'Delete project daily-doomed' });
    await dialog.getByRole('button', { name: 'Delete project' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    await page.getByRole('link', { name: 'daily-renamed' }).waitFor();
    await expect(page.getByRole('link', { name: 'daily-doomed' }).count()).resolves.toBe(0);
    expect((await server.request(`/api/projects/${project.id}`)).status).toBe(404);
  });

  it('works by keyboard: Ctrl+Enter starts a run, a closed dialog gives focus back, errors lead back', async () => {
    await page.goto(`${server.url}/projects/${projectId}`);
    const newRun = page.getByRole('button', { name: 'New run' });
    // Enabled once the project is read.
    await expect.poll(() => newRun.isEnabled()).toBe(true);
    await newRun.focus();
    await page.keyboard.press('Enter');
    let dialog = page.getByRole('dialog', { name: 'New run' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => focused(page)).toBe('New run');

    await page.getByRole('button', { name: 'Edit project' }).click();
    await page.getByRole('dialog', { name: 'Edit project' }).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => focused(page)).toBe('Edit project');

    await newRun.click();
    dialog = page.getByRole('dialog', { name: 'New run' });
    await dialog.getByLabel('Prompt').fill('run: echo by keyboard');
    await dialog.getByLabel('Prompt').press('Control+Enter');
    await page.waitForURL(/\/runs\/run_/);
    await page.getByRole('log', { name: 'Transcript' }).getByText('$ echo by keyboard').waitFor({
      timeout: STEP_TIMEOUT,
    });
    await ended(page.url().split('/').at(-1) ?? '');

    // A page that cannot load says where to go instead.
    for (const path of [
      '/runs/run_missing',
      '/patterns/pat_missing',
      '/experiments/exp_missing',
      '/nowhere',
    ]) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('link', { name: 'Back to the projects' }).click();
      await page.getByRole('heading', { name: 'Projects' }).waitFor();
    }

    const { narrow, narrowProblems } = await phone();
    await narrow.goto(`${server.url}/runs/run_missing`);
    await narrow.getByRole('link', { name: 'Back to the projects' }).waitFor();
    expect(await sidewaysOverflow(narrow)).toBeLessThanOrEqual(0);
    await narrow.goto(`${server.url}/projects/${projectId}`);
    await narrow.getByRole('button', { name: 'New run' }).click();
    const narrowDialog = narrow.getByRole('dialog', { name: 'New run' });
    await narrowDialog.getByLabel('Prompt').fill('run: echo from a phone');
    await narrowDialog.getByLabel('Prompt').press('Control+Enter');
    await narrow.waitForURL(/\/runs\/run_/);
    await ended(narrow.url().split('/').at(-1) ?? '');
    // The one console error is the missing run's 404, which the page shows as it should.
    expect(narrowProblems.filter((p) => !/404/.test(p))).toEqual([]);
    await narrow.close();
  });

  it('logged no console errors along the way, but the missing pages’ 404s', () => {
    expect(problems.filter((p) => !/404/.test(p))).toEqual([]);
  });
});
