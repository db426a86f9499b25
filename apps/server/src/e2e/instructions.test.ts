import { createRetraceClient, type RetraceClient } from '@retrace/client';
import {
  AGENT_MODEL,
  CODEX_MODEL,
  type OfflineModel,
  type RecordedRequest,
  startOfflineModel,
} from '@retrace/offline-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

// Retrace configured for a hosted model: the API key set, the base URL pointing at an
// OpenAI-compatible server that records every request. The offline model is one; here it is
// started by the test, not by Retrace, and Retrace takes it for OpenAI.
let hosted: OfflineModel;
let server: ServerProcess;
let client: RetraceClient;

beforeAll(async () => {
  hosted = await startOfflineModel();
  server = await startServer({
    env: {
      OPENAI_API_KEY: 'sk-test-hosted-configuration',
      OPENAI_BASE_URL: hosted.baseURL,
      RETRACE_AGENT_MODEL: AGENT_MODEL,
      RETRACE_CODEX_MODEL: CODEX_MODEL,
    },
  });
  client = createRetraceClient({ url: server.url });
});
afterAll(async () => {
  await server?.stop();
  await hosted?.close();
  if (server) removeDataDir(server.dataDir);
});

interface ChatBody {
  messages: Array<{ role: string; content: unknown }>;
}
interface ResponsesBody {
  input: Array<{ type?: string; role?: string; content?: Array<{ type: string; text?: string }> }>;
}

/** What the agent model was sent as the system message of each request. */
const systemMessages = (requests: RecordedRequest[]) =>
  requests
    .filter((r) => r.endpoint === '/v1/chat/completions')
    .map((r) => (r.body as ChatBody).messages.find((m) => m.role === 'system')?.content);

/** The text parts of the developer messages of each request Codex made. */
const developerParts = (requests: RecordedRequest[]) =>
  requests
    .filter((r) => r.endpoint === '/v1/responses')
    .map((r) =>
      (r.body as ResponsesBody).input
        .filter((item) => item.role === 'developer')
        .flatMap((item) => (item.content ?? []).map((part) => part.text ?? '')),
    );

/** Runs the prompt and returns the run as stored, with every request the models received for it. */
async function runAndRecord(input: Parameters<RetraceClient['runs']['create']['mutate']>[0]) {
  hosted.clearRequests();
  const created = await client.runs.create.mutate(input);
  const run = await finishedRun(client, created.id);
  expect(run.status, run.error ?? '').toBe('succeeded');
  return { run, requests: hosted.requests() };
}

describe('a run’s record of its instructions, in hosted-model configuration', () => {
  it('is byte for byte what the agent model and Codex were sent, with and without a pattern', async () => {
    expect((await client.system.info.query()).modelMode).toBe('openai');
    const project = await client.projects.create.mutate({ name: 'hosted', basePrompt: 'You are terse.' });

    const a = await runAndRecord({
      projectId: project.id,
      prompt: plan('run: mkdir -p notes', 'run: echo hello > notes/a.txt', 'run: cat notes/a.txt'),
    });
    expect(a.run.systemInstructions).toMatch(/^You are terse\./);
    const aSystem = systemMessages(a.requests);
    expect(aSystem.length).toBeGreaterThan(0);
    for (const sent of aSystem) expect(sent).toBe(a.run.systemInstructions);
    // No pattern: Codex was given no instructions of Retrace's, and the run says so.
    expect(a.run.codexInstructions).toBeNull();
    const aDeveloper = developerParts(a.requests);
    expect(aDeveloper.length).toBeGreaterThan(0);
    for (const parts of aDeveloper) expect(parts.some((p) => p.includes('reference_workflow'))).toBe(false);

    const b = await runAndRecord({
      projectId: project.id,
      prompt: 'Repeat the reference workflow, replacing notes/a.txt with notes/b.txt',
      learnFromRunId: a.run.id,
      fromRunId: a.run.id,
    });
    const block = b.run.pattern?.block ?? '';
    expect(block).toMatch(/^<reference_workflow/);
    expect(b.run.systemInstructions).toContain(block);
    const bSystem = systemMessages(b.requests);
    expect(bSystem.length).toBeGreaterThan(0);
    for (const sent of bSystem) expect(sent).toBe(b.run.systemInstructions);
    expect(b.run.codexInstructions).toContain(block);
    const bDeveloper = developerParts(b.requests);
    expect(bDeveloper.length).toBeGreaterThan(0);
    for (const parts of bDeveloper) expect(parts).toContain(b.run.codexInstructions);

    // The same record through the REST route a curl user reads.
    const rest = (await (await server.request(`/api/runs/${b.run.id}`)).json()) as typeof b.run;
    expect([rest.systemInstructions, rest.codexInstructions]).toEqual([
      b.run.systemInstructions,
      b.run.codexInstructions,
    ]);
  });
});
