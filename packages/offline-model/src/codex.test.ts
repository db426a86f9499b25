import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OfflineModel, startOfflineModel } from './server';
import { runCodex, scratch } from './test/codex';

let model: OfflineModel;
let dirs: ReturnType<typeof scratch>;
beforeAll(async () => {
  model = await startOfflineModel();
});
afterAll(() => model.close());
beforeEach(() => {
  dirs = scratch();
  execFileSync('git', ['init', '-q', dirs.workspace]);
});
afterEach(() => dirs.cleanup());

const codex = (prompt: string, developerInstructions?: string) =>
  runCodex({
    baseURL: model.baseURL,
    prompt,
    ...dirs,
    ...(developerInstructions ? { developerInstructions } : {}),
  });
const completed = (run: Awaited<ReturnType<typeof codex>>) =>
  run.events.filter((e) => e.type === 'item.completed').map((e) => e.item as Record<string, unknown>);

describe('driving the real Codex CLI', () => {
  it('follows a create / edit / run plan, one tool call at a time', async () => {
    const run = await codex(
      'create notes/a.txt:\n```\nhello\nworld\n```\nedit notes/a.txt: replace "world" with "there"\nrun: cat notes/a.txt',
    );
    expect(run.exitCode).toBe(0);
    expect(readFileSync(join(dirs.workspace, 'notes/a.txt'), 'utf8')).toBe('hello\nthere\n');
    const items = completed(run);
    expect(items.map((i) => i.type)).toEqual([
      'file_change',
      'command_execution',
      'file_change',
      'command_execution',
      'agent_message',
    ]);
    expect(items[3]).toMatchObject({ aggregated_output: 'hello\nthere\n', exit_code: 0 });
    expect(items[4]?.text).toBe('Done: created notes/a.txt; edited notes/a.txt; ran `cat notes/a.txt`.');
    expect(run.events.at(-1)?.type).toBe('turn.completed');
  });

  it('waits for a command that outlasts Codex’s 10 s wait, and reads its exit code', async () => {
    const run = await codex('run: sleep 11; echo finally; exit 4');
    expect(run.events.at(-1)).toEqual({
      type: 'turn.failed',
      error: { message: 'command `sleep 11; echo finally; exit 4` exited with code 4: finally' },
    });
    expect(completed(run)).toEqual([
      expect.objectContaining({ type: 'command_execution', exit_code: 4, aggregated_output: 'finally\n' }),
    ]);
  }, 30_000);

  it('fails the turn with the reason on a failing command and on fail:', async () => {
    const failing = await codex('run: echo out; exit 3\nrun: touch never.txt');
    expect(failing.exitCode).toBe(1);
    expect(failing.events.at(-1)).toEqual({
      type: 'turn.failed',
      error: { message: 'command `echo out; exit 3` exited with code 3: out' },
    });
    expect(existsSync(join(dirs.workspace, 'never.txt'))).toBe(false);

    const told = await codex('fail: the fixture is missing');
    expect(told.events.at(-1)).toEqual({ type: 'turn.failed', error: { message: 'the fixture is missing' } });
  });

  it('says so when it does not understand, and the turn fails', async () => {
    const run = await codex('Please improve the code base.');
    expect(completed(run)[0]?.text).toMatch(/simulator that follows written plans, not an LLM/);
    expect(run.events.at(-1)?.error?.message).toBe('offline model: the prompt has no plan line');
  });

  it('fails an edit whose text is not in the file, naming it', async () => {
    const run = await codex('create a.txt:\n```\nabc\n```\nedit a.txt: replace "xyz" with "q"');
    expect(run.events.at(-1)?.error?.message).toBe('a.txt does not contain "xyz"');
  });

  it('replays an injected reference workflow with new values, and refuses without one', async () => {
    const block = [
      '<reference_workflow version="1" steps="3" truncated="false">',
      '<steps>',
      '<step n="1" kind="tool_call">codex_exec: create notes/a.txt</step>',
      '<step n="2" kind="file_change">create notes/a.txt: "hello from a\\n"</step>',
      '<step n="3" kind="command">cat notes/a.txt</step>',
      '</steps>',
      '</reference_workflow>',
    ].join('\n');
    model.clearRequests();
    const replay = await codex(
      'Repeat the reference workflow, replacing notes/a.txt with notes/b.txt, "from a" with "from b"',
      `Follow this:\n${block}`,
    );
    expect(replay.exitCode, replay.stdout).toBe(0);
    expect(readFileSync(join(dirs.workspace, 'notes/b.txt'), 'utf8')).toBe('hello from b\n');
    expect(completed(replay).map((i) => i.type)).toEqual([
      'file_change',
      'command_execution',
      'agent_message',
    ]);
    const sent = model.requests().filter((r) => r.endpoint === '/v1/responses');
    expect(JSON.stringify(sent[0]?.body)).toContain('<reference_workflow version=\\"1\\"');

    const without = await codex('Repeat the reference workflow, replacing notes/a.txt with notes/c.txt');
    expect(without.exitCode).toBe(1);
    expect(without.events.at(-1)?.error?.message).toMatch(/no reference workflow was injected/);
  });

  it('refuses to replay a value the workflow does not hold, naming it and the values it does hold', async () => {
    // A run that replayed notes/a.txt as notes/b.txt: its task names a.txt, its steps only b.txt.
    const block = [
      '<reference_workflow version="1" steps="2" truncated="false">',
      '<task>Repeat the reference workflow, replacing notes/a.txt with notes/b.txt</task>',
      '<variables>',
      '<var name="file_1" kind="file">notes/b.txt</var>',
      '</variables>',
      '<steps>',
      '<step n="1" kind="file_change">create notes/b.txt: "hello\\n"</step>',
      '<step n="2" kind="command">cat notes/b.txt</step>',
      '</steps>',
      '<pitfalls>',
      '<pitfall>command `cat notes/x.txt` failed</pitfall>',
      '</pitfalls>',
      '</reference_workflow>',
    ].join('\n');
    const refused = await codex(
      'Repeat the reference workflow, replacing notes/a.txt with notes/d.txt',
      block,
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.events.at(-1)?.error?.message).toBe(
      'offline model: the reference workflow holds no "notes/a.txt" to replace (its values: notes/b.txt)',
    );
    expect(existsSync(join(dirs.workspace, 'notes/d.txt'))).toBe(false);
    // What it holds it replays, pitfalls and all.
    const replayed = await codex(
      'Repeat the reference workflow, replacing notes/b.txt with notes/d.txt',
      block,
    );
    expect(replayed.exitCode, replayed.stdout).toBe(0);
    expect(readFileSync(join(dirs.workspace, 'notes/d.txt'), 'utf8')).toBe('hello\n');
    expect(completed(replayed).at(-1)?.text).toBe(
      'Done: created notes/d.txt; ran `cat notes/d.txt`. The workflow warns of: command `cat notes/x.txt` failed',
    );
  });
});
