import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { git, makeSourceRepo } from '../../server/src/test/git-repos';
import { removeDataDir, type ServerProcess, startServer } from '../../server/src/test/server-process';
import { launchChromium, screenshot, watchConsole } from './browser';

let server: ServerProcess;
let browser: Browser;
let page: Page;
let problems: string[];
let root: string;
let source: string;
let remote: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'retrace-web-branch-'));
  ({ source, remote } = makeSourceRepo(root));
  server = await startServer();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  problems = watchConsole(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
  rmSync(root, { recursive: true, force: true });
});

const post = async (path: string, body: unknown) => {
  const response = await server.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as { id: string };
};

it('a run becomes a branch of the source repository, then is pushed, from the run page', async () => {
  const project = await post('/api/projects', { name: 'web-branch', sourceRepo: source });
  const run = await post(`/api/projects/${project.id}/runs`, {
    prompt: ['create notes/a.txt:', '```', 'a', '```'].join('\n'),
  });
  await expect
    .poll(
      async () => ((await (await server.request(`/api/runs/${run.id}`)).json()) as { status: string }).status,
      {
        timeout: 60_000,
      },
    )
    .toBe('succeeded');

  await page.goto(server.signInUrl);
  await page.goto(`${server.url}/runs/${run.id}`);
  const panel = page.getByRole('region', { name: 'Branch' });
  await panel.getByLabel('Branch name (optional)').fill('feature/notes');
  await panel.getByRole('button', { name: 'Create branch' }).click();
  const made = panel.getByRole('status');
  await made.getByText('feature/notes').waitFor();
  const commit = git(source, 'rev-parse', 'refs/heads/feature/notes');
  await made.getByText(commit.slice(0, 12)).waitFor();
  expect(git(source, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');

  await panel.getByRole('button', { name: 'Push' }).click();
  await made.getByText(/pushed to/).waitFor();
  expect(git(remote, 'rev-parse', 'refs/heads/feature/notes')).toBe(commit);
  expect(await panel.getByRole('button', { name: 'Push' }).count()).toBe(0);
  await screenshot(page, 'run-branch');
  expect(problems).toEqual([]);
});
