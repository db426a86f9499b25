import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRetraceClient, type RetraceClient } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

// The probes of the security issue, against the real server as `npm start` runs it: what a
// run's commands can reach, and what of a secret the server stores.
const TOKEN = 'the-server-token-0123456789abcdef';
const RUNNER_SECRET = 'the-runner-secret-0123456789abcd';
const USER_SECRET = 'a-password-the-user-exported-42';
const PROMPT_KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789';
let server: ServerProcess;
let client: RetraceClient;
let projectId: string;

beforeAll(async () => {
  server = await startServer({
    env: { RETRACE_TOKEN: TOKEN, RETRACE_RUNNER_SECRET: RUNNER_SECRET, DEPLOY_PASSWORD: USER_SECRET },
  });
  client = createRetraceClient({ url: server.url, token: TOKEN });
  ({ id: projectId } = await client.projects.create.mutate({ name: 'confinement' }));
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const runToEnd = async (prompt: string, project = projectId) =>
  finishedRun(client, (await client.runs.create.mutate({ projectId: project, prompt })).id);
const outputOf = async (runId: string, command: string) =>
  (await client.runs.steps.query({ id: runId })).items
    .filter((s) => s.kind === 'command' && s.instruction === command)
    .map((s) => String((s.payload as { aggregated_output?: string }).aggregated_output));

describe('a run’s commands', () => {
  it('cannot create ../../../../x (outside the data dir), nor write /tmp', async () => {
    const outside = join(dirname(server.dataDir), 'x');
    const up = await runToEnd('run: touch ../../../../x');
    expect(up.status).toBe('failed');
    expect(up.error).toMatch(/Read-only file system/);
    expect(existsSync(outside)).toBe(false);
    const tmp = await runToEnd(`run: touch /tmp/retrace-probe-${process.pid}`);
    expect(tmp.error).toMatch(/Read-only file system/);
    expect(existsSync(`/tmp/retrace-probe-${process.pid}`)).toBe(false);
  });

  it('see none of the server’s secrets: printenv in a run and in its verify command', async () => {
    const { id } = await client.projects.create.mutate({ name: 'printenv', verifyCommand: 'printenv' });
    const run = await runToEnd('run: printenv', id);
    expect(run.status, run.error ?? '').toBe('succeeded');
    const printed = await outputOf(run.id, 'printenv');
    expect(printed).toHaveLength(2);
    for (const env of printed) {
      expect(env).toMatch(/^PATH=/m);
      // Neither the names nor the values (which redaction would hide as [REDACTED]).
      expect(env).not.toMatch(/RETRACE_TOKEN|RETRACE_RUNNER_SECRET|DEPLOY_PASSWORD|\[REDACTED\]/);
    }
  });

  it('the verify command cannot write outside the workspace either', async () => {
    const target = `/tmp/retrace-probe-verify-${process.pid}`;
    const { id } = await client.projects.create.mutate({
      name: 'verify-escape',
      verifyCommand: `touch ${target}`,
    });
    const run = await runToEnd('run: true', id);
    expect(run.status).toBe('failed');
    expect((await outputOf(run.id, `touch ${target}`))[0]).toMatch(/Read-only file system/);
    expect(existsSync(target)).toBe(false);
  });
});

describe('a secret in a prompt', () => {
  it('reaches the run as written, and is in no file of the data dir', async () => {
    // The run gets the key (it prints it reversed); the server keeps it nowhere.
    const run = await runToEnd(`run: echo ${PROMPT_KEY} | rev`);
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(run.prompt).toBe('run: echo [REDACTED] | rev');
    const steps = (await client.runs.steps.query({ id: run.id })).items;
    const reversed = [...PROMPT_KEY].reverse().join('');
    expect(JSON.stringify(steps)).toContain(reversed);
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    const stored = files(server.dataDir).filter((f) => !f.includes('/workspaces/'));
    expect(stored.some((f) => f.endsWith('retrace.db'))).toBe(true);
    for (const file of stored) expect(readFileSync(file).includes(PROMPT_KEY), file).toBe(false);
  });
});

describe('the raw Codex JSONL', () => {
  it('is redacted inside its JSON strings: an assignment does not swallow the lines after it', async () => {
    const command = "printf 'MY_TOKEN=abcdefgh\\nline1\\nline2\\n'";
    const run = await runToEnd(plan(`run: ${command}`));
    expect(run.status, run.error ?? '').toBe('succeeded');
    const res = await fetch(`${server.url}/api/runs/${run.id}/artifacts/codex.jsonl`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const outputs = (await res.text())
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { type: string; item?: { type: string; aggregated_output?: string } },
      )
      .filter((e) => e.type === 'item.completed' && e.item?.type === 'command_execution')
      .map((e) => e.item?.aggregated_output);
    expect(outputs).toContain('MY_TOKEN=[REDACTED]\nline1\nline2\n');
  });
});
