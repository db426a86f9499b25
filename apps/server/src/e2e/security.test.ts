import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRetraceClient } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

const TOKEN = 'the-server-token-0123456789';
const OPENAI_LIKE = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789';
const GITHUB_LIKE = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
let server: ServerProcess;

beforeAll(async () => {
  server = await startServer({ env: { RETRACE_TOKEN: TOKEN } });
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const bearer = { authorization: `Bearer ${TOKEN}` };

describe('the bearer token', () => {
  it('is required on tRPC, the REST routes, SSE streams and downloads', async () => {
    const anonymous = createRetraceClient({ url: server.url, token: null });
    await expect(anonymous.projects.list.query()).rejects.toThrow(/needs its token/);
    const wrong = createRetraceClient({ url: server.url, token: 'not-the-token-at-all' });
    await expect(wrong.projects.list.query()).rejects.toThrow(/needs its token/);
    // RETRACE_TOKEN it was given is the one it asks for, printed nowhere.
    expect(server.token).toBe(TOKEN);
    expect(server.output()).not.toContain(TOKEN);
    const client = createRetraceClient({ url: server.url, token: TOKEN });
    const { id: projectId } = await client.projects.create.mutate({ name: 'guarded' });
    const run = await client.runs.create.mutate({ projectId, prompt: 'run: echo guarded' });
    const events = await followRun(client, run.id);
    expect(events.at(-1)?.type).toBe('status');

    for (const path of [
      `/api/projects`,
      `/api/runs/${run.id}`,
      `/api/runs/${run.id}/stream`,
      `/api/runs/${run.id}/artifacts/codex.jsonl`,
      '/trpc/projects.list',
    ]) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(401);
      expect(
        (await fetch(`${server.url}${path}`, { headers: { authorization: 'Bearer not-the-token-at-all' } }))
          .status,
        path,
      ).toBe(401);
      expect((await fetch(`${server.url}${path}`, { headers: bearer })).status, path).toBe(200);
    }
    // EventSource and download links cannot send headers: the query parameter (or its cookie) works.
    const stream = await fetch(`${server.url}/api/runs/${run.id}/stream?token=${TOKEN}`);
    expect(stream.status).toBe(200);
    expect(await stream.text()).toContain('event: end');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('secrets', () => {
  it('are redacted from stored steps, events and artifacts', async () => {
    const client = createRetraceClient({ url: server.url, token: TOKEN });
    const { id: projectId } = await client.projects.create.mutate({ name: 'secrets' });
    const run = await client.runs.create.mutate({
      projectId,
      // The sleep makes the first command long enough to be announced while it runs.
      prompt: plan(`run: sleep 1.2; echo key=${OPENAI_LIKE}`, `run: echo token ${GITHUB_LIKE} ${TOKEN}`),
    });
    const events = await followRun(client, run.id);
    const ended = await client.runs.get.query({ id: run.id });
    expect(ended.status, ended.error ?? '').toBe('succeeded');
    const steps = await client.runs.steps.query({ id: run.id });
    const artifacts = await client.runs.artifacts.query({ id: run.id });
    const files = await Promise.all(
      artifacts.items.map(async (a) => (await fetch(`${server.url}${a.url}`, { headers: bearer })).text()),
    );
    // The running command's activity event carries the secret too, before its step does.
    expect(events.filter((e) => e.type === 'activity')).toHaveLength(1);
    const stored = [JSON.stringify(steps), JSON.stringify(events), ...files].join('\n');
    for (const secret of [OPENAI_LIKE, GITHUB_LIKE, TOKEN]) expect(stored).not.toContain(secret);
    expect(stored).toContain('[REDACTED]');
    expect(files.join('\n')).toContain('echo key=[REDACTED]');
  });
});

describe('start-up', () => {
  // What `npm start` runs (vitest's globalSetup builds it).
  const serverMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
  const attempt = (main: string, env: Record<string, string>) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [main], {
        env: { ...process.env, RETRACE_TOKEN: '', RETRACE_RUNNER_SECRET: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c) => {
        output += c;
      });
      child.stderr.on('data', (c) => {
        output += c;
      });
      child.once('exit', (code) => resolve({ code, output }));
    });

  it('refuses RETRACE_AUTH=none off loopback, naming the variables', async () => {
    const result = await attempt(serverMain, {
      RETRACE_AUTH: 'none',
      RETRACE_HOST: '0.0.0.0',
      RETRACE_PORT: '0',
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/RETRACE_AUTH: "none" is allowed only on a loopback RETRACE_HOST/);
    expect(result.output).toContain('0.0.0.0');
  });

  it('refuses a bad value, naming the variable', async () => {
    const result = await attempt(serverMain, { RETRACE_MAX_CONCURRENCY: 'lots' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/RETRACE_MAX_CONCURRENCY/);
  });
});
