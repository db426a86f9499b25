import type { ChatMessage, RunUsage, StepDraft } from '@retrace/protocol';
import type OpenAI from 'openai';
import { CODEX_EXEC_TOOL } from './instructions';

export interface ToolResult {
  ok: boolean;
  summary: string;
  filesTouched: string[];
  error: string | null;
}

export interface AgentLoopOptions {
  client: OpenAI;
  model: string;
  system: string;
  history: ChatMessage[];
  prompt: string;
  maxTurns: number;
  signal: AbortSignal;
  runTool: (instructions: string) => Promise<ToolResult>;
  onStep: (step: StepDraft) => Promise<void>;
  /** After each request to the model, with the tokens it took. */
  onTurn?: (usage: RunUsage) => void;
}

export interface AgentLoopResult {
  /** The loop ended because the model stopped calling tools (not the turn limit). */
  finished: boolean;
  summary: string;
  lastTool: ToolResult | null;
  usage: RunUsage;
  /** Requests made to the model. */
  turns: number;
}

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * One agent, one tool, Swarm-style: chat completions (streamed) until the model stops
 * calling codex_exec or the turn limit. Each message, tool call and tool result is a step.
 */
export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentLoopResult> {
  const messages: Message[] = [
    { role: 'system', content: options.system },
    ...options.history.map((m) => ({ role: m.role, content: m.content }) as Message),
    { role: 'user', content: options.prompt },
  ];
  const usage: RunUsage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
  let summary = '';
  let lastTool: ToolResult | null = null;

  for (let turn = 0; turn < options.maxTurns; turn++) {
    const startedAt = Date.now();
    const stream = await options.client.chat.completions.create(
      {
        model: options.model,
        messages,
        tools: [CODEX_EXEC_TOOL],
        tool_choice: 'auto',
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal: options.signal },
    );
    let content = '';
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    const turnUsage: RunUsage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
    for await (const chunk of stream) {
      if (chunk.usage) {
        turnUsage.inputTokens += chunk.usage.prompt_tokens;
        turnUsage.cachedInputTokens += chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
        turnUsage.outputTokens += chunk.usage.completion_tokens;
      }
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) content += delta.content;
      for (const call of delta?.tool_calls ?? []) {
        const slot = calls[call.index] ?? { id: '', name: '', arguments: '' };
        calls[call.index] = slot;
        if (call.id) slot.id = call.id;
        if (call.function?.name) slot.name += call.function.name;
        if (call.function?.arguments) slot.arguments += call.function.arguments;
      }
    }
    usage.inputTokens += turnUsage.inputTokens;
    usage.cachedInputTokens += turnUsage.cachedInputTokens;
    usage.outputTokens += turnUsage.outputTokens;
    options.onTurn?.(turnUsage);
    if (content.trim()) {
      summary = content.trim();
      await options.onStep({
        kind: 'agent_message',
        instruction: content.trim(),
        outcomeOk: true,
        payload: { role: 'assistant', content },
        startedAt,
        finishedAt: Date.now(),
      });
    }
    const toolCalls = calls.filter(Boolean);
    if (toolCalls.length === 0) return { finished: true, summary, lastTool, usage, turns: turn + 1 };

    messages.push({
      role: 'assistant',
      content: content || null,
      tool_calls: toolCalls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: c.arguments },
      })),
    });
    for (const call of toolCalls) {
      const callStarted = Date.now();
      let result: ToolResult;
      let instructions = '';
      if (call.name !== 'codex_exec') {
        result = {
          ok: false,
          summary: '',
          filesTouched: [],
          error: `unknown tool ${call.name}: the only tool is codex_exec`,
        };
      } else {
        try {
          instructions = String(
            (JSON.parse(call.arguments || '{}') as { instructions?: unknown }).instructions ?? '',
          );
        } catch {
          instructions = '';
        }
        await options.onStep({
          kind: 'tool_call',
          instruction: `codex_exec: ${oneLine(instructions)}`,
          outcomeOk: true,
          payload: { call: { id: call.id, name: call.name, arguments: call.arguments } },
          startedAt: callStarted,
          finishedAt: callStarted,
        });
        result = instructions.trim()
          ? await options.runTool(instructions)
          : { ok: false, summary: '', filesTouched: [], error: 'codex_exec needs non-empty instructions' };
      }
      lastTool = result;
      await options.onStep({
        kind: 'tool_call',
        instruction: result.ok
          ? `codex_exec → ok: ${oneLine(result.summary)}`
          : `codex_exec → failed: ${oneLine(result.error ?? '')}`,
        outcomeOk: result.ok,
        payload: { result: { id: call.id, ...result } },
        startedAt: callStarted,
        finishedAt: Date.now(),
      });
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
    }
  }
  return { finished: false, summary, lastTool, usage, turns: options.maxTurns };
}
