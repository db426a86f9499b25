import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, type ServerProcess, startServer } from '../../server/src/test/server-process';
import { launchChromium, screenshot, watchConsole } from './browser';

let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
// A page of another program on this machine, on another loopback port.
let neighbour: Server;
let neighbourUrl: string;
const neighbourSaw: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = await startServer();
  neighbour = createServer((req, res) => {
    neighbourSaw.push(req.headers);
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>neighbour</title><p>another program’s page</p>');
  });
  await new Promise<void>((resolve) => neighbour.listen(0, '127.0.0.1', resolve));
  neighbourUrl = `http://127.0.0.1:${(neighbour.address() as AddressInfo).port}`;
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
  problems = watchConsole(page);
});
afterAll(async () => {
  await browser?.close();
  neighbour?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const port = () => new URL(server.url).port;
const projectNames = async () => {
  const res = await fetch(`${server.url}/api/projects`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  return ((await res.json()) as Array<{ name: string }>).map((p) => p.name);
};

describe('the URL the server printed, opened in Chromium', () => {
  it('signs the browser in and leaves a clean address bar', async () => {
    expect(server.signInUrl).toContain('?token=');
    await page.goto(server.signInUrl);
    expect(page.url()).toBe(`${server.url}/`);
    await page.getByText('Offline model · a simulator, not an LLM').waitFor();
    // The session cookie is for this port, HttpOnly, SameSite=Strict, and not the token.
    const cookies = await context.cookies(server.url);
    expect(cookies).toEqual([
      expect.objectContaining({ name: `retrace_session_${port()}`, httpOnly: true, sameSite: 'Strict' }),
    ]);
    expect(cookies[0]?.value).not.toContain(server.token);
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('runs the app on the cookie: a mutation, a query, and a live subscription', async () => {
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Name').fill('signed-in');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/proj_/);
    await page.getByRole('heading', { name: 'signed-in' }).waitFor();
    const projectId = page.url().split('/').at(-1);
    // A run started elsewhere arrives over the project's SSE subscription.
    await fetch(`${server.url}/api/projects/${projectId}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ prompt: 'run: echo signed in' }),
    });
    await page.locator('tr[data-run-number="1"]').getByText('Succeeded').waitFor({ timeout: 90_000 });
    await screenshot(page, '11-signed-in-by-token');
    // The CSP let the app do all of it.
    expect(problems).toEqual([]);
  });
});

describe('a page on another loopback port', () => {
  it('reads no cookie and no token of this server', async () => {
    const other = await context.newPage();
    await other.goto(neighbourUrl);
    expect(await other.evaluate(() => document.cookie)).toBe('');
    // Browsers send a host's cookies to all its ports: what reaches the neighbour is at most the
    // session value, never the token, and it opens nothing as a bearer token.
    const sent = neighbourSaw.map((headers) => headers.cookie ?? '').join('; ');
    expect(sent).not.toContain(server.token);
    const session = /retrace_session_\d+=([^;]+)/.exec(sent)?.[1];
    if (session) {
      const res = await fetch(`${server.url}/api/projects`, {
        headers: { authorization: `Bearer ${session}` },
      });
      expect(res.status).toBe(401);
    }
    await other.close();
  });

  it('can change nothing and read nothing, though the browser attaches the cookie', async () => {
    const other = await context.newPage();
    await other.goto(neighbourUrl);
    const target = server.url;
    // What the attacker did: a text/plain POST (no preflight), and a cross-origin read.
    const attempts = await other.evaluate(async (url) => {
      const post = await fetch(`${url}/api/projects`, {
        method: 'POST',
        mode: 'no-cors',
        credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ name: 'from-another-port' }),
      }).then(
        () => 'sent',
        (error: Error) => error.message,
      );
      const read = await fetch(`${url}/api/projects`, { credentials: 'include' }).then(
        async (res) => (await res.text()).slice(0, 100),
        (error: Error) => `blocked: ${error.message}`,
      );
      return { post, read };
    }, target);
    expect(attempts.read).toMatch(/^blocked/);
    // A form needs no script: the browser sends it with the cookie and an Origin.
    await other.setContent(`<form method="post" enctype="text/plain" action="${target}/api/projects">
      <input name='{"name":"from-a-form","x":"' value='"}'></form>`);
    const [answer] = await Promise.all([
      other.waitForResponse(`${target}/api/projects`),
      other.evaluate(() => document.forms[0]?.submit()),
    ]);
    expect(answer.status()).toBe(403);
    expect(await answer.text()).toContain('refused');
    expect(await projectNames()).not.toEqual(expect.arrayContaining(['from-another-port']));
    expect(await projectNames()).not.toContain('from-a-form');
    await other.close();
  });

  it('cannot frame the app', async () => {
    const other = await context.newPage();
    await other.goto(neighbourUrl);
    await other.setContent(`<iframe src="${server.url}/"></iframe>`);
    const frame = other.frames()[1];
    await expect.poll(() => frame?.url()).toMatch(/^chrome-error:/);
    await other.close();
  });
});
