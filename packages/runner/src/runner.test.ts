import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalRunnerClient } from './clients/local';
import { createTestRunner, runInput, runToEnd } from './test/harness';

let model: OfflineModel;
let harness: Awaited<ReturnType<typeof createTestRunner>>;
beforeAll(async () => {
  model = await startOfflineModel();
  harness = await createTestRunner({}, model);
});
afterAll(async () => {
  await harness.close();
  await model.close();
});

describe('a run through the agent loop and the real Codex CLI', () => {
  it('follows a create / edit / run plan: files, steps, diff and summary', async () => {
    const { steps, result, events } = await runToEnd(
      harness.runner,
      runInput(
        'create notes/a.txt:\n```\nhello\nworld\n```\nedit notes/a.txt: replace "world" with "there"\nrun: cat notes/a.txt',
      ),
    );
    expect(result.ok, result.error ?? '').toBe(true);
    expect(result.outcome).toBe('succeeded');
    expect(readFileSync(join(result.workspacePath, 'notes/a.txt'), 'utf8')).toBe('hello\nthere\n');
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.map((s) => [s.kind, s.instruction, s.outcomeOk])).toEqual([
      ['tool_call', expect.stringMatching(/^codex_exec: create notes\/a.txt:/), true],
      ['file_change', 'create notes/a.txt: "hello\\nworld\\n"', true],
      ['command', "cat -- 'notes/a.txt'", true],
      ['file_change', 'edit notes/a.txt: replace "world" with "there"', true],
      ['command', 'cat notes/a.txt', true],
      ['agent_message', 'Done: created notes/a.txt; edited notes/a.txt; ran `cat notes/a.txt`.', true],
      [
        'tool_call',
        'codex_exec → ok: Done: created notes/a.txt; edited notes/a.txt; ran `cat notes/a.txt`.',
        true,
      ],
      ['agent_message', expect.stringMatching(/^Done: /), true],
    ]);
    expect(result.filesTouched).toEqual(['notes/a.txt']);
    expect(result.diff?.files).toEqual([
      expect.objectContaining({ path: 'notes/a.txt', status: 'added', additions: 2 }),
    ]);
    expect(result.summary).toMatch(/^Done: /);
    expect(result.lastMessage).toMatch(/^Done: created notes\/a.txt/);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'codex_line').length).toBeGreaterThan(5);
    // Announced as each file change lands; the run's end changed nothing more, so no third.
    const diffs = events.flatMap((e) => (e.type === 'diff' ? [e.diff] : []));
    expect(diffs).toHaveLength(2);
    expect(diffs.at(-1)).toEqual(result.diff);
    expect(events.filter((e) => e.type === 'status').map((e) => e.type === 'status' && e.status)).toEqual([
      'preparing',
      'running',
    ]);
  });

  it('announces a command still running after a second, before its step; a quick one not', async () => {
    const { events } = await runToEnd(harness.runner, runInput('run: sleep 1.5\nrun: echo quick'));
    const order = events.flatMap((e) =>
      e.type === 'activity'
        ? [`started ${e.activity.text}`]
        : e.type === 'step' && e.step.kind === 'command'
          ? [`ended ${e.step.instruction}`]
          : [],
    );
    expect(order).toEqual(['started sleep 1.5', 'ended sleep 1.5', 'ended echo quick']);
  });

  it('fails with the reason on a failing command, and on fail:', async () => {
    const failing = await runToEnd(harness.runner, runInput('run: echo broken; exit 3'));
    expect(failing.result.ok).toBe(false);
    expect(failing.result.outcome).toBe('failed');
    expect(failing.result.error).toBe('command `echo broken; exit 3` exited with code 3: broken');
    expect(failing.steps.find((s) => s.kind === 'command')?.outcomeOk).toBe(false);

    const told = await runToEnd(harness.runner, runInput('fail: the database is down'));
    expect(told.result.error).toBe('the database is down');
  });

  it('replays an injected pattern, passing it to the agent and to Codex; without one the replay fails', async () => {
    const block = [
      '<reference_workflow version="1" steps="2" truncated="false">',
      '<steps>',
      '<step n="1" kind="file_change">create notes/a.txt: "from the pattern\\n"</step>',
      '<step n="2" kind="command">cat notes/a.txt</step>',
      '</steps>',
      '</reference_workflow>',
    ].join('\n');
    model.clearRequests();
    const replay = await runToEnd(
      harness.runner,
      runInput('Repeat the reference workflow, replacing notes/a.txt with notes/b.txt', {
        context: { base_prompt: 'You are a precise code agent.', pattern_block: block, profile: 'batch' },
      }),
    );
    expect(replay.result.ok, replay.result.error ?? '').toBe(true);
    expect(readFileSync(join(replay.result.workspacePath, 'notes/b.txt'), 'utf8')).toBe('from the pattern\n');
    const requests = model.requests();
    const agent = requests.find((r) => r.endpoint === '/v1/chat/completions')?.body as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(agent.messages[0]?.role).toBe('system');
    expect(agent.messages[0]?.content).toContain(block);
    const codex = requests.find((r) => r.endpoint === '/v1/responses');
    expect(JSON.stringify(codex?.body)).toContain(JSON.stringify(block).slice(1, -1));

    const without = await runToEnd(
      harness.runner,
      runInput('Repeat the reference workflow, replacing notes/a.txt with notes/b.txt'),
    );
    expect(without.result.ok).toBe(false);
    expect(without.result.error).toMatch(/no reference workflow was injected/);
  });

  it('runs the verify command after the agent: the run succeeds only if it passes', async () => {
    const passing = await runToEnd(
      harness.runner,
      runInput('create ok.txt:\n```\nok\n```', { verifyCommand: 'test -f ok.txt' }),
    );
    expect(passing.result.ok).toBe(true);
    expect(passing.steps.at(-1)).toMatchObject({
      kind: 'command',
      instruction: 'test -f ok.txt',
      outcomeOk: true,
    });
    const failing = await runToEnd(
      harness.runner,
      runInput('run: true', { verifyCommand: 'test -f ok.txt' }),
    );
    expect(failing.result.ok).toBe(false);
    expect(failing.result.error).toMatch(/verify command `test -f ok.txt` failed/);
  });

  it('cancels a run in the middle of a command, leaving no process behind', async () => {
    const input = runInput('run: sleep 60.25');
    harness.runner.start(input);
    let workspace = '';
    const follow = (async () => {
      for await (const { event } of harness.runner.follow(input.runId, 0)) {
        if (event.type === 'status') workspace = event.workspacePath;
        if (event.type === 'result') return event.result;
      }
      return null;
    })();
    const sleeping = () =>
      execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.startsWith('sleep 60.25'));
    for (let i = 0; i < 200 && sleeping().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(sleeping()).toHaveLength(1);
    expect(harness.runner.cancel(input.runId)).toBe(true);
    const result = await follow;
    expect(result?.outcome).toBe('canceled');
    expect(sleeping()).toEqual([]);
    // Codex was started with -C <workspace>: nothing with it on its command line is left.
    expect(workspace).not.toBe('');
    const codexLeft = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(workspace));
    expect(codexLeft).toEqual([]);
  });

  it('attaches to a run already started instead of starting it twice', async () => {
    const input = runInput('run: echo once >> count.txt');
    expect(harness.runner.start(input)).toEqual({ started: true });
    expect(harness.runner.start(input)).toEqual({ started: false });
    const all = [];
    for await (const tracked of harness.runner.follow(input.runId, 0)) all.push(tracked);
    const resumed = [];
    for await (const tracked of harness.runner.follow(input.runId, 3)) resumed.push(tracked);
    expect(resumed).toEqual(all.slice(3));
    const result = all.at(-1)?.event;
    expect(
      result?.type === 'result' && readFileSync(join(result.result.workspacePath, 'count.txt'), 'utf8'),
    ).toBe('once\n');
  });
});

describe('the in-process client', () => {
  it('lets the run drop each event once it has it, and says so to a follower who asks again', async () => {
    const input = runInput('run: echo once');
    const taken: string[] = [];
    const client = createLocalRunnerClient(harness.runner);
    for await (const { id } of client.run(input, { signal: new AbortController().signal })) taken.push(id);
    const last = Number(taken.at(-1));
    expect(taken).toEqual(Array.from({ length: last }, (_, i) => String(i + 1)));
    // Over HTTP a follower resumes from what it got; this one got everything, and it is gone.
    await expect(async () => {
      for await (const _ of harness.runner.follow(input.runId, 0)) break;
    }).rejects.toThrow(`event 1 of run ${input.runId} was handed over already; follow from ${last} or later`);
    const after = [];
    for await (const tracked of harness.runner.follow(input.runId, last)) after.push(tracked);
    expect(after).toEqual([]);
  });
});

describe('the limits of a run', () => {
  it('readonly: Codex’s sandbox refuses writes, and the run fails saying so', async () => {
    const { result } = await runToEnd(
      harness.runner,
      runInput('run: echo hi > made.txt', {
        context: { base_prompt: 'You are a precise code agent.', pattern_block: '', profile: 'readonly' },
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/Read-only file system/);
    expect(existsSync(join(result.workspacePath, 'made.txt'))).toBe(false);
  });

  it('the turn limit: an agent still calling tools is stopped, and the run fails saying so', async () => {
    const limited = await createTestRunner({ maxTurns: 1 }, model);
    try {
      const { result, steps } = await runToEnd(limited.runner, runInput('run: echo one'));
      expect(result.ok).toBe(false);
      expect(result.error).toBe('the agent was still calling tools after 1 turn');
      // The one turn ran its tool call; no second chat turn summed it up.
      expect(steps.filter((s) => s.kind === 'command').map((s) => s.instruction)).toEqual(['echo one']);
      expect(steps.at(-1)?.kind).toBe('tool_call');
    } finally {
      await limited.close();
    }
  });
});

describe("the machine's shell profile", () => {
  it('stays out of a run: Codex starts no login shell, for commands or to read the environment', async () => {
    // A profile that leaves a mark (on this machine, one hangs 60 s on a stale pyenv lock).
    const home = mkdtempSync(join(tmpdir(), 'retrace-home-'));
    const marker = join(home, 'profile-was-read');
    for (const file of ['.profile', '.bash_profile', '.bashrc'])
      writeFileSync(join(home, file), `echo "$0 ${file}" >> ${JSON.stringify(marker)}\n`);
    const isolated = await createTestRunner({ environment: { ...process.env, HOME: home } }, model);
    try {
      const { result } = await runToEnd(isolated.runner, runInput('run: echo "home is $HOME"'));
      expect(result.ok, result.error ?? '').toBe(true);
      expect(result.lastMessage).toMatch(/Done: ran/);
      expect(existsSync(marker) ? readFileSync(marker, 'utf8') : 'not read').toBe('not read');
    } finally {
      await isolated.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('a model that fails', () => {
  let server: Server;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"model down"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is reported as the run’s error at once, without a retry storm', async () => {
    const { port } = server.address() as AddressInfo;
    const broken = await createTestRunner({
      agent: { baseURL: `http://127.0.0.1:${port}/v1`, model: 'x' },
    });
    try {
      const { result } = await runToEnd(broken.runner, runInput('run: echo hi'));
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/the agent model failed: HTTP 500/);
      expect(requests).toBe(1);
    } finally {
      await broken.close();
    }
  });
});
