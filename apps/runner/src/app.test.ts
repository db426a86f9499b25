import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { runnerModels } from '@retrace/config';
import { type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import { type RunInput, type RunnerClient, RunnerError, type TrackedRunnerEvent } from '@retrace/protocol';
import { createHttpRunnerClient, createLocalRunnerClient, createRunner, type Runner } from '@retrace/runner';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRunnerApp } from './app';

const SECRET = 'runner-secret-0123456789';
let offline: OfflineModel;
let harness: { runner: Runner; dataDir: string };
let server: ReturnType<typeof serve>;
let url: string;

let counter = 0;
function runInput(prompt: string): RunInput {
  counter += 1;
  return {
    runId: `run-${process.pid}-${counter}`,
    projectId: 'proj',
    workspace: { kind: 'new' },
    prompt,
    context: { base_prompt: 'You are a precise code agent.', pattern_block: '', profile: 'batch' },
  };
}

/** Every event of a run through a client, or the error it threw. */
async function drain(client: RunnerClient, input: RunInput, lastEventId?: string): Promise<unknown> {
  try {
    for await (const _ of client.run(input, {
      signal: new AbortController().signal,
      ...(lastEventId ? { lastEventId } : {}),
    })) {
      // the events are not what these tests look at
    }
    return null;
  } catch (error) {
    return error;
  }
}

beforeAll(async () => {
  // Composed as main.ts does: no key, so the offline model stands in.
  offline = await startOfflineModel();
  const dataDir = mkdtempSync(join(tmpdir(), 'retrace-runner-app-'));
  harness = {
    dataDir,
    runner: createRunner({ dataDir, models: runnerModels({}, offline), environment: process.env }),
  };
  const app = createRunnerApp({ runner: harness.runner, secret: SECRET });
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  await harness.runner.close();
  await offline.close();
  rmSync(harness.dataDir, { recursive: true, force: true });
});

const seedBody = (workspace: string, content: string) =>
  JSON.stringify({
    messages: [{ role: 'user', content }],
    context_variables: {
      workspace,
      pattern_block: '',
      base_prompt: 'You are a precise code agent.',
      profile: 'batch',
    },
  });
const post = (body: string, headers: Record<string, string> = {}, path = '/run') =>
  fetch(`${url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
const auth = { authorization: `Bearer ${SECRET}` };

describe("the seed's POST /run", () => {
  it('refuses a request without the secret, or with a wrong one', async () => {
    expect((await post(seedBody('demo/w0', 'run: echo hi'))).status).toBe(401);
    expect((await post(seedBody('demo/w0', 'run: echo hi'), { authorization: 'Bearer nope' })).status).toBe(
      401,
    );
    expect(existsSync(join(harness.dataDir, 'workspaces/demo/w0'))).toBe(false);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('does real work in a workspace inside the data dir and answers with the result', async () => {
    const res = await post(seedBody('demo/w1', 'create hello.txt:\n```\nhi\n```\nrun: cat hello.txt'), auth);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      ok: boolean;
      summary: string;
      filesTouched: string[];
      workspace: string;
    };
    expect(body).toMatchObject({ ok: true, filesTouched: ['hello.txt'] });
    expect(body.summary).toMatch(/^Done/);
    expect(body.workspace).toBe(join(harness.dataDir, 'workspaces/demo/w1'));
    expect(readFileSync(join(body.workspace, 'hello.txt'), 'utf8')).toBe('hi\n');
  });

  it('runs one run at a time in a workspace: a second one there is refused with 409', async () => {
    const first = post(seedBody('demo/shared', 'run: sleep 2 && echo first > first.txt'), auth);
    // The first has started once its workspace exists.
    for (let i = 0; i < 100 && !existsSync(join(harness.dataDir, 'workspaces/demo/shared/.git')); i++)
      await new Promise((r) => setTimeout(r, 50));
    const second = await post(seedBody('demo/shared', 'run: echo second > second.txt'), auth);
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: string }).error).toMatch(
      /is in use by run seed-.*one run at a time/,
    );
    expect((await first).status).toBe(200);
    expect(existsSync(join(harness.dataDir, 'workspaces/demo/shared/second.txt'))).toBe(false);
    // Once the first has ended, the workspace takes the next run.
    expect((await post(seedBody('demo/shared', 'run: echo second > second.txt'), auth)).status).toBe(200);
  });

  it('streams NDJSON events when asked', async () => {
    const res = await post(seedBody('demo/w2', 'run: echo streamed'), {
      ...auth,
      accept: 'application/x-ndjson',
    });
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const events = (await res.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; type: string });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => String(i + 1)));
    expect(events.at(-1)?.type).toBe('result');
    expect(events.map((e) => e.type)).toContain('step');
  });

  it.each([
    ['../../etc', /outside/],
    ['/etc/cron.d', /outside/],
    ['', /workspace: must not be empty/],
  ])('refuses the workspace %j', async (workspace, message) => {
    const res = await post(seedBody(workspace, 'run: touch pwned'), auth);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('names the field that is wrong', async () => {
    const res = await post(JSON.stringify({ messages: [], context_variables: {} }), auth);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toMatch(/messages: must hold at least the user message/);
    expect(error).toMatch(/context_variables.workspace/);
  });
});

describe('the typed RunnerRouter over HTTP', () => {
  it('streams a run, and a re-attach with lastEventId gets exactly the missed events', async () => {
    const client = createHttpRunnerClient({ url, secret: SECRET });
    const input = runInput('run: echo one\nrun: echo two');
    const first: TrackedRunnerEvent[] = [];
    for await (const event of client.run(input, { signal: new AbortController().signal })) {
      first.push(event);
      if (first.length === 4) break;
    }
    const missed: TrackedRunnerEvent[] = [];
    for await (const event of client.run(input, { signal: new AbortController().signal, lastEventId: '4' }))
      missed.push(event);
    const all = [...first, ...missed];
    expect(all.at(-1)?.event.type).toBe('result');
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => String(i + 1)));

    const health = await client.health();
    expect(health).toMatchObject({ ok: true, modelMode: 'offline' });
    expect(health.codexVersion).toMatch(/codex-cli 0\.169\.0/);
  });

  it('tells the runner what it has taken, which lets those events go', async () => {
    const client = createHttpRunnerClient({ url, secret: SECRET });
    const input = runInput('run: echo one\nrun: echo two');
    let last = '0';
    for await (const event of client.run(input, { signal: new AbortController().signal })) last = event.id;
    // Said once the stream has ended, without holding it up.
    await vi.waitFor(async () => {
      const error = await harness.runner
        .follow(input.runId, 0)
        .next()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(`follow from ${last}`),
      });
    });
    // Nothing after what was taken is lost: there is nothing after the result.
    expect(await harness.runner.follow(input.runId, Number(last)).next()).toMatchObject({ done: true });
  });

  it.each([
    ['runId', '../../escape'],
    ['runId', '..%2f..%2fescape'],
    ['projectId', '/etc'],
    ['projectId', '%2e%2e'],
  ])('refuses a %s of %j before touching the disk', async (field, value) => {
    const client = createHttpRunnerClient({ url, secret: SECRET });
    const error = await drain(client, { ...runInput('run: touch pwned'), [field]: value });
    expect(error).toBeInstanceOf(RunnerError);
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      retryable: false,
      message: expect.stringMatching(field),
    });
    expect(existsSync(join(harness.dataDir, 'pwned'))).toBe(false);
  });

  it('refuses a client with the wrong secret: UNAUTHORIZED, not worth a retry', async () => {
    const client = createHttpRunnerClient({ url, secret: 'wrong-secret-0123456789' });
    await expect(client.health()).rejects.toMatchObject({ code: 'UNAUTHORIZED', retryable: false });
    expect(await drain(client, runInput('run: echo x'))).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('says NOT_FOUND when asked to resume a run it does not know', async () => {
    const client = createHttpRunnerClient({ url, secret: SECRET });
    const error = await drain(client, runInput('run: echo x'), '3');
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/does not know run/) });
  });

  it('a runner that cannot be reached is UNAVAILABLE: the one error worth a retry', async () => {
    const client = createHttpRunnerClient({ url: 'http://127.0.0.1:9', secret: SECRET });
    await expect(client.health()).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });
});

describe('the two runner clients', () => {
  it.each([
    ['a bad input', { ...runInput('run: echo x'), runId: '../x' }, undefined],
    ['an empty prompt', { ...runInput('run: echo x'), prompt: '' }, undefined],
    ['a resume of an unknown run', runInput('run: echo x'), '2'],
  ])('throw the same RunnerError for %s, in process or over HTTP', async (_case, input, lastEventId) => {
    const local = await drain(createLocalRunnerClient(harness.runner), input, lastEventId);
    const http = await drain(createHttpRunnerClient({ url, secret: SECRET }), input, lastEventId);
    expect(local).toBeInstanceOf(RunnerError);
    expect(http).toBeInstanceOf(RunnerError);
    const { code, retryable } = local as RunnerError;
    expect({ code, retryable }).toEqual({
      code: (http as RunnerError).code,
      retryable: (http as RunnerError).retryable,
    });
    expect(retryable).toBe(false);
  });
});

describe('removeWorkspaces over HTTP', () => {
  it('refuses a workspace in use with CONFLICT, as in process, and deletes it once the run ended', async () => {
    const http = createHttpRunnerClient({ url, secret: SECRET });
    const input = { ...runInput('run: sleep 30.25'), projectId: 'removal' };
    const running = drain(http, input);
    const folder = join(harness.dataDir, 'workspaces/removal', input.runId);
    for (let i = 0; i < 200 && !existsSync(join(folder, '.git')); i++)
      await new Promise((r) => setTimeout(r, 50));
    const remote = await http.removeWorkspaces({ projectId: 'removal' }).catch((error: unknown) => error);
    const local = await createLocalRunnerClient(harness.runner)
      .removeWorkspaces({ projectId: 'removal' })
      .catch((error: unknown) => error);
    expect(remote).toBeInstanceOf(RunnerError);
    expect(remote).toMatchObject({
      code: 'CONFLICT',
      retryable: false,
      message: expect.stringContaining(`in use by run ${input.runId}`),
    });
    expect(local).toMatchObject({
      code: (remote as RunnerError).code,
      message: (remote as RunnerError).message,
    });
    expect(existsSync(folder)).toBe(true);

    await http.cancel(input.runId);
    await running;
    expect(await http.removeWorkspaces({ projectId: 'removal', runIds: [input.runId] })).toEqual({
      removed: 1,
    });
    expect(existsSync(folder)).toBe(false);
  });
});
