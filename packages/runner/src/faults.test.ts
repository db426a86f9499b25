import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import type { RunResult } from '@retrace/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRunner, runInput, runToEnd } from './test/harness';

let model: OfflineModel;
beforeAll(async () => {
  model = await startOfflineModel();
});
afterAll(() => model.close());

/** Lines of `ps` whose command line contains the marker. */
function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes(' ps -eo'));
}

async function waitFor(check: () => boolean, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** A model server that answers every request the same way (or never). */
async function fakeModel(
  answer: 'error' | 'hang',
): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const held: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    count += 1;
    if (answer === 'error') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"model down"}}');
    } else {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': waiting\n\n');
      held.push(() => res.end());
      req.on('close', () => res.end());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of held) end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('faults, each ending in a clear error with nothing left running', () => {
  it('Codex killed in the middle of a run', async () => {
    const harness = await createTestRunner({}, model);
    try {
      const input = runInput('run: sleep 61.25');
      harness.runner.start(input);
      const events = (async () => {
        let result: RunResult | null = null;
        for await (const { event } of harness.runner.follow(input.runId, 0))
          if (event.type === 'result') result = event.result;
        return result;
      })();
      expect(await waitFor(() => processesWith('sleep 61.25').length > 0)).toBe(true);
      // Everything Codex starts carries the run's tag: found even once Codex is gone.
      const sleepPid = processesWith('sleep 61.25')[0]?.trim().split(' ')[0];
      expect(readFileSync(`/proc/${sleepPid}/environ`, 'latin1')).toMatch(
        new RegExp(`RETRACE_PROCESS_TAG=w[0-9a-f]+-${input.runId}-1\0`),
      );
      const codex = processesWith(`exec --json`).find((line) => line.includes(harness.dataDir));
      expect(codex).toBeDefined();
      process.kill(Number(codex?.trim().split(' ')[0]), 'SIGKILL');
      const result = await events;
      expect(result?.outcome).toBe('failed');
      expect(result?.error).toMatch(/codex exited \(SIGKILL\) before finishing the turn/);
      expect(await waitFor(() => processesWith('sleep 61.25').length === 0, 10_000)).toBe(true);
    } finally {
      await harness.close();
    }
  });

  it('the Codex binary missing', async () => {
    const harness = await createTestRunner({ codexBinary: '/nonexistent/codex' }, model);
    try {
      const { result, steps } = await runToEnd(harness.runner, runInput('run: echo hi'));
      expect(result.ok).toBe(false);
      expect(result.error).toBe('the Codex binary is missing at /nonexistent/codex (run npm ci)');
      expect(steps.map((s) => s.instruction)).toContain(
        'codex_exec → failed: the Codex binary is missing at /nonexistent/codex (run npm ci)',
      );
    } finally {
      await harness.close();
    }
  });

  it('Codex’s model answering 500s: one request, the model’s failure as the error', async () => {
    const broken = await fakeModel('error');
    const harness = await createTestRunner({ codex: { baseURL: broken.url } }, model);
    try {
      const { result } = await runToEnd(harness.runner, runInput('run: echo hi'));
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/high demand|500/);
      expect(broken.requests()).toBe(1);
    } finally {
      await harness.close();
      await broken.close();
    }
  });

  it('models that hang: the run times out and Codex is ended', async () => {
    const hanging = await fakeModel('hang');
    const agentHangs = await createTestRunner(
      { agent: { baseURL: hanging.url, model: 'x' }, timeoutsMs: { batch: 1500 } },
      model,
    );
    const codexHangs = await createTestRunner(
      {
        codex: { baseURL: hanging.url },
        timeoutsMs: { batch: 3000 },
      },
      model,
    );
    try {
      const agent = await runToEnd(agentHangs.runner, runInput('run: echo hi'));
      expect(agent.result.outcome).toBe('failed');
      expect(agent.result.error).toBe('timed out after 2 s');
      const codex = await runToEnd(codexHangs.runner, runInput('run: echo hi'));
      expect(codex.result.error).toBe('timed out after 3 s');
      expect(await waitFor(() => processesWith(codexHangs.dataDir).length === 0, 10_000)).toBe(true);
    } finally {
      await agentHangs.close();
      await codexHangs.close();
      await hanging.close();
    }
  });
});
