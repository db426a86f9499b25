import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, type ServerProcess, startServer } from '../../server/src/test/server-process';
import { launchChromium, screenshot } from './browser';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

let browser: Browser;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.stop();
  if (servers[0]) removeDataDir(servers[0].dataDir);
});

async function api(server: ServerProcess, path: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { id: string };
}

describe('an open page when the server restarts', () => {
  it('reconnects by itself: runs started after the restart appear live, without a reload', async () => {
    const port = String(await freePort());
    const first = await startServer({ env: { RETRACE_PORT: port } });
    servers.push(first);
    const project = await api(first, '/api/projects', { name: 'restart-me' });
    const page = await browser.newPage();
    // Signed in by ?token= on the page itself; the session outlives the restart (same data dir, same token).
    await page.goto(`${first.url}/projects/${project.id}?token=${first.token}`);
    await page.getByText('No runs yet').waitFor();

    const code = await first.stop();
    expect(code, first.output()).toBe(0);
    await page.getByText('Server unreachable — retrying').waitFor({ timeout: 60_000 });
    const second = await startServer({ dataDir: first.dataDir, env: { RETRACE_PORT: port } });
    servers.push(second);
    expect(second.token).toBe(first.token);
    await api(second, `/api/projects/${project.id}/runs`, { prompt: 'run: echo after the restart' });

    await page.locator('tr[data-run-number="1"]').getByText('Succeeded').waitFor({ timeout: 90_000 });
    await page.getByText('Server unreachable — retrying').waitFor({ state: 'detached', timeout: 60_000 });
    await screenshot(page, '10-after-restart');
    await page.close();
  });
});
