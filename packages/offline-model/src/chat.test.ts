import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OfflineModel, startOfflineModel } from './server';

let model: OfflineModel;
let openai: OpenAI;
beforeAll(async () => {
  model = await startOfflineModel();
  openai = new OpenAI({ baseURL: model.baseURL, apiKey: 'not-needed', maxRetries: 0 });
});
afterAll(() => model.close());

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'codex_exec',
      parameters: { type: 'object', properties: { instructions: { type: 'string' } } },
    },
  },
];
const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
  {
    role: 'system',
    content: 'You are a precise code agent.\n<reference_workflow version="1"></reference_workflow>',
  },
  { role: 'user', content: 'run: echo hi\nrun: ls' },
];

describe('as the runner agent’s chat model', () => {
  it('hands the prompt to codex_exec verbatim, streaming or not', async () => {
    const plain = await openai.chat.completions.create({ model: 'retrace-offline-agent', messages, tools });
    const call = plain.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('codex_exec');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      instructions: 'run: echo hi\nrun: ls',
    });

    const stream = await openai.chat.completions.create({
      model: 'retrace-offline-agent',
      messages,
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    let args = '';
    let name = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      name ||= delta?.function?.name ?? '';
      args += delta?.function?.arguments ?? '';
      usage ??= chunk.usage;
    }
    expect(name).toBe('codex_exec');
    expect(JSON.parse(args)).toEqual({ instructions: 'run: echo hi\nrun: ls' });
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it('summarises the tool result', async () => {
    const withResult: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      ...messages,
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'codex_exec', arguments: '{}' } }],
      },
      {
        role: 'tool',
        tool_call_id: 'c1',
        content: JSON.stringify({ ok: true, summary: 'ran it', filesTouched: ['a.txt'], error: null }),
      },
    ];
    const done = await openai.chat.completions.create({ model: 'x', messages: withResult, tools });
    expect(done.choices[0]?.message.content).toBe('Done: ran it Files touched: a.txt.');
    const failed = await openai.chat.completions.create({
      model: 'x',
      messages: [
        ...withResult.slice(0, -1),
        {
          role: 'tool',
          tool_call_id: 'c1',
          content: JSON.stringify({ ok: false, summary: '', filesTouched: [], error: 'exit 3' }),
        },
      ],
      tools,
    });
    expect(failed.choices[0]?.message.content).toBe('Failed: exit 3');
  });

  it('is deterministic and records what it was asked', async () => {
    model.clearRequests();
    const a = await openai.chat.completions.create({ model: 'x', messages, tools });
    const b = await openai.chat.completions.create({ model: 'x', messages, tools });
    expect(a).toEqual(b);
    const recorded = (await (await fetch(`${model.url}/debug/requests`)).json()) as {
      requests: Array<{ endpoint: string; body: unknown }>;
    };
    expect(recorded.requests).toHaveLength(2);
    expect(recorded.requests[0]?.endpoint).toBe('/v1/chat/completions');
    expect(JSON.stringify(recorded.requests[0]?.body)).toContain('<reference_workflow');
  });
});

describe('the HTTP surface', () => {
  it('lists its models and says what it is', async () => {
    const list = await openai.models.list();
    expect(list.data.map((m) => m.id)).toEqual(['retrace-offline-agent', 'retrace-offline-codex']);
    const about = await fetch(`${model.url}/`);
    expect(await about.text()).toMatch(/simulator.*not an LLM/);
    expect(about.headers.get('x-retrace-offline-model')).toContain('simulator');
  });

  it('answers malformed requests with a 400 naming the problem', async () => {
    const notJson = await fetch(`${model.baseURL}/chat/completions`, {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    const noMessages = await fetch(`${model.baseURL}/chat/completions`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(((await noMessages.json()) as { error: { message: string } }).error.message).toBe(
      'messages: must be an array',
    );
    const noInput = await fetch(`${model.baseURL}/responses`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(((await noInput.json()) as { error: { message: string } }).error.message).toMatch(/^input/);
  });

  it('listens on loopback only', async () => {
    await expect(startOfflineModel({ host: '0.0.0.0' })).rejects.toThrow(/only listens on loopback/);
  });
});
