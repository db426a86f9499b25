import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepDraft } from '@retrace/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareWorkspace, snapshotTree } from '../workspace/index';
import { codexExec } from './exec';
import { createFileChangeDescriber } from './file-changes';

// Codex itself is not needed to test the line handling: a script that prints recorded
// JSONL stands in for the binary here (the real binary runs in runner.test.ts).
let dir: string;
let workspace: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-exec-'));
  workspace = (await prepareWorkspace({ dataDir: dir, projectId: 'p', runId: 'r', request: { kind: 'new' } }))
    .path;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function replay(lines: string[]) {
  const script = join(dir, 'fake-codex.sh');
  writeFileSync(script, `#!/bin/sh\ncat <<'JSONL'\n${lines.join('\n')}\nJSONL\n`);
  chmodSync(script, 0o755);
  const steps: StepDraft[] = [];
  const logs: string[] = [];
  const raw: string[] = [];
  const result = await codexExec({
    instructions: 'x',
    sandbox: { profile: 'batch', fullAccess: false, workspace, tmpDir: dir, hidden: [] },
    env: { PATH: process.env.PATH ?? '' },
    models: {
      mode: 'offline',
      agent: { baseURL: 'http://127.0.0.1:9/v1', model: 'm' },
      codex: { baseURL: 'http://127.0.0.1:9/v1', model: 'm' },
    },
    codexHome: dir,
    catalogPath: null,
    describer: createFileChangeDescriber(workspace, await snapshotTree(workspace)),
    signal: new AbortController().signal,
    onLine: (line) => void raw.push(line),
    onStep: (step) => void steps.push(step),
    onLog: (_level, message) => void logs.push(message),
    binary: script,
  });
  return { steps, logs, raw, result };
}

const message = (id: string, text: string) =>
  JSON.stringify({ type: 'item.completed', item: { id, type: 'agent_message', text } });
const command = (id: string, cmd: string) =>
  JSON.stringify({
    type: 'item.completed',
    item: {
      id,
      type: 'command_execution',
      command: `/bin/bash -lc '${cmd}'`,
      aggregated_output: 'ok\n',
      exit_code: 0,
      status: 'completed',
    },
  });

describe('codexExec line handling', () => {
  it('records items re-emitted after a retry once, but a real repeat twice', async () => {
    const { steps, result } = await replay([
      '{"type":"turn.started"}',
      message('item_0', 'Looking.'),
      command('item_1', 'ls'),
      '{"type":"error","message":"Reconnecting... 1/5 (stream disconnected)"}',
      message('item_2', 'Looking.'),
      command('item_3', 'ls'),
      command('item_4', 'ls'),
      message('item_5', 'Done.'),
      '{"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":3}}',
    ]);
    expect(steps.map((s) => `${s.kind}:${s.instruction}`)).toEqual([
      'agent_message:Looking.',
      'command:ls',
      'command:ls',
      'agent_message:Done.',
    ]);
    expect(result).toMatchObject({
      ok: true,
      lastMessage: 'Done.',
      usage: { inputTokens: 10, outputTokens: 3 },
    });
  });

  it('keeps unknown types and malformed lines as logs and raw lines, and goes on', async () => {
    const { steps, logs, raw, result } = await replay([
      '{"type":"turn.started"}',
      '{"type":"item.completed","item":{"id":"x","type":"hologram"}}',
      '{"type":"session.teleported"}',
      'this is not json',
      message('item_1', 'Still here.'),
      '{"type":"turn.completed"}',
    ]);
    expect(steps.map((s) => s.instruction)).toEqual(['Still here.']);
    expect(raw).toHaveLength(6);
    expect(logs.join('\n')).toMatch(/unknown type kept raw: hologram/);
    expect(logs.join('\n')).toMatch(/not JSON/);
    expect(result.ok).toBe(true);
  });

  it('reports a turn that fails, and a process that ends before finishing', async () => {
    const failed = await replay([
      '{"type":"turn.started"}',
      '{"type":"turn.failed","error":{"message":"quota"}}',
    ]);
    expect(failed.result).toMatchObject({ ok: false, error: 'quota' });
    const cut = await replay(['{"type":"turn.started"}']);
    expect(cut.result.ok).toBe(false);
    expect(cut.result.error).toMatch(/before finishing the turn/);
  });
});
