import { textOf } from './codex-turn';
import { deterministicId, estimateTokens } from './ids';

export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

export interface ChatRequest {
  model?: string;
  messages?: ChatMessage[];
  tools?: Array<{ type: string; function?: { name: string } }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export type ChatReply =
  | { kind: 'tool_call'; name: string; arguments: string }
  | { kind: 'text'; text: string };

const CREATED = 1_700_000_000;

/** What the runner's codex_exec tool answers, when it is the JSON the runner sends. */
function summariseToolResult(content: string): string {
  try {
    const result = JSON.parse(content) as {
      ok?: boolean;
      summary?: string;
      error?: string | null;
      filesTouched?: string[];
    };
    if (result.ok) {
      const files = result.filesTouched?.length ? ` Files touched: ${result.filesTouched.join(', ')}.` : '';
      const summary = result.summary || 'Codex finished the task.';
      return `${/^done\b/i.test(summary) ? summary : `Done: ${summary}`}${files}`;
    }
    return `Failed: ${result.error || result.summary || 'Codex did not finish the task.'}`;
  } catch {
    return `Codex answered: ${content.trim().split('\n')[0] ?? ''}`;
  }
}

/**
 * The runner agent's model: hand the task to Codex through the one tool, then report what
 * came back. The pattern travels in the system message and, separately, to Codex.
 */
export function chatReply(body: ChatRequest): ChatReply {
  const messages = body.messages ?? [];
  const lastUser = messages.findLastIndex((m) => m.role === 'user');
  const after = messages.slice(lastUser + 1);
  const tool = body.tools?.find((t) => t.function?.name)?.function?.name;
  const toolResult = after.findLast((m) => m.role === 'tool');
  if (toolResult) return { kind: 'text', text: summariseToolResult(textOf(toolResult.content)) };
  if (!tool) {
    return {
      kind: 'text',
      text: "This is Retrace's offline model, a simulator that follows written plans, not an LLM. Without a tool to call it has nothing to do.",
    };
  }
  if (after.some((m) => m.role === 'assistant' && m.tool_calls?.length)) {
    return { kind: 'text', text: 'Waiting for the tool result.' };
  }
  return {
    kind: 'tool_call',
    name: tool,
    arguments: JSON.stringify({ instructions: textOf(messages[lastUser]?.content) }),
  };
}

function usageOf(body: ChatRequest, reply: ChatReply) {
  const prompt = estimateTokens(body.messages ?? []);
  const completion = estimateTokens(reply.kind === 'text' ? reply.text : reply.arguments);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function chatCompletion(body: ChatRequest) {
  const reply = chatReply(body);
  const id = deterministicId('chatcmpl', body.messages ?? []);
  const message =
    reply.kind === 'text'
      ? { role: 'assistant', content: reply.text }
      : {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `call_${id.slice(9, 33)}`,
              type: 'function',
              function: { name: reply.name, arguments: reply.arguments },
            },
          ],
        };
  return {
    id,
    object: 'chat.completion',
    created: CREATED,
    model: body.model ?? 'retrace-offline-agent',
    choices: [
      { index: 0, message, finish_reason: reply.kind === 'text' ? 'stop' : 'tool_calls', logprobs: null },
    ],
    usage: usageOf(body, reply),
  };
}

/** The same answer as chat.completion.chunk events: role, content or tool call in pieces, finish, usage. */
export function chatCompletionStream(body: ChatRequest): string {
  const full = chatCompletion(body);
  const choice = full.choices[0];
  const base = { id: full.id, object: 'chat.completion.chunk', created: CREATED, model: full.model };
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  const chunks: object[] = [];
  const message = choice?.message as {
    content: string | null;
    tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  };
  if (message.tool_calls?.[0]) {
    const call = message.tool_calls[0];
    chunks.push(
      chunk({
        role: 'assistant',
        content: null,
        tool_calls: [
          { index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
        ],
      }),
    );
    const args = call.function.arguments;
    for (let at = 0; at < args.length; at += 64) {
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(at, at + 64) } }] }));
    }
  } else {
    chunks.push(chunk({ role: 'assistant', content: '' }));
    const text = message.content ?? '';
    for (let at = 0; at < text.length; at += 48) chunks.push(chunk({ content: text.slice(at, at + 48) }));
  }
  chunks.push(chunk({}, choice?.finish_reason ?? 'stop'));
  if (body.stream_options?.include_usage) chunks.push({ ...base, choices: [], usage: full.usage });
  return `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`;
}
