/**
 * The standalone runner's memory around a 10,000-step run followed over HTTP, in a process of
 * its own: the runner app on loopback and the HTTP client the server uses, with Codex
 * replaced by a recording. Prints `{ heapIdle, heapAfter }` in MB as one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { runnerModels } from '@retrace/config';
import { startOfflineModel } from '@retrace/offline-model';
import { createHttpRunnerClient, createRunner } from '@retrace/runner';
import { createRunnerApp } from '@retrace/runner-app/app';
import { settledMemory } from './memory-reading';
import { replayByPrompt } from './stand-in-codex';

const ITEMS = Number(process.argv[2] ?? 10_000);
const SECRET = 'bench-runner-secret-0123456789';

const dir = mkdtempSync(join(tmpdir(), 'retrace-bench-runner-memory-'));
const model = await startOfflineModel();
const runner = createRunner({
  dataDir: dir,
  models: runnerModels({}, model),
  environment: process.env,
  codexBinary: replayByPrompt(dir, [10, ITEMS]),
});
const app = createRunnerApp({ runner, secret: SECRET });
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
});
const client = createHttpRunnerClient({
  url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  secret: SECRET,
});

/** Follows one run to its result, as the server's executor does. */
async function follow(runId: string, items: number): Promise<void> {
  const input = {
    runId,
    projectId: 'bench',
    workspace: { kind: 'new' as const },
    prompt: `run: replay ${items}`,
    context: { base_prompt: 'You are a precise code agent.', pattern_block: '', profile: 'batch' as const },
  };
  let outcome: string | undefined;
  for await (const { event } of client.run(input, { signal: new AbortController().signal }))
    if (event.type === 'result') outcome = event.result.outcome;
  if (outcome !== 'succeeded')
    throw new Error(`the ${items}-item run ended ${outcome ?? 'without a result'}`);
}

/** The follower's last word reaches the runner just after the stream ends. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

try {
  await follow('small', 10);
  await settle();
  const heapIdle = settledMemory().heap;
  await follow('large', ITEMS);
  await settle();
  console.log(JSON.stringify({ heapIdle, heapAfter: settledMemory().heap }));
} finally {
  server.close();
  await runner.close();
  await model.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
