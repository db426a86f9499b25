import { type CodexReply, codexReply, type InputItem, POLL_TOOL } from './codex-turn';
import { deterministicId, estimateTokens } from './ids';

export interface ResponsesRequest {
  model?: string;
  input?: InputItem[] | string;
  instructions?: string;
}

const sse = (event: object) => `data: ${JSON.stringify(event)}\n\n`;

function outputItem(reply: CodexReply, id: string): object | null {
  switch (reply.kind) {
    case 'exec':
      return {
        type: 'function_call',
        id: `fc_${id}`,
        call_id: `call_${id}`,
        name: 'exec_command',
        // A plain shell: what a plan says to run should not depend on the machine's login profile.
        arguments: JSON.stringify({ cmd: reply.command, login: false }),
      };
    case 'poll':
      return {
        type: 'function_call',
        id: `fc_${id}`,
        call_id: `call_${id}`,
        name: POLL_TOOL,
        arguments: JSON.stringify({ session_id: reply.sessionId, chars: '', yield_time_ms: 30_000 }),
      };
    case 'patch':
      return {
        type: 'custom_tool_call',
        id: `ctc_${id}`,
        call_id: `call_${id}`,
        name: 'apply_patch',
        input: reply.patch,
      };
    case 'message':
      return {
        type: 'message',
        id: `msg_${id}`,
        role: 'assistant',
        content: [{ type: 'output_text', text: reply.text, annotations: [] }],
      };
    case 'fail':
      return reply.explanation
        ? {
            type: 'message',
            id: `msg_${id}`,
            role: 'assistant',
            content: [{ type: 'output_text', text: reply.explanation, annotations: [] }],
          }
        : null;
  }
}

/**
 * The Codex model's answer as the Server-Sent Events of a Responses API stream. A failure
 * is `response.failed` with code `invalid_prompt`: Codex does not retry it and ends the turn
 * with our message as the error.
 */
export function respond(body: ResponsesRequest): string {
  const input = Array.isArray(body.input)
    ? body.input
    : [{ role: 'user', type: 'message', content: String(body.input ?? '') }];
  const reply = codexReply(input, body.instructions ?? '');
  const id = deterministicId('resp', body.input ?? '', body.instructions ?? '');
  const item = outputItem(reply, id.slice(5));
  const usage = {
    input_tokens: estimateTokens(input),
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: item ? estimateTokens(item) : 1,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: estimateTokens(input) + (item ? estimateTokens(item) : 1),
  };
  const events = [sse({ type: 'response.created', response: { id, status: 'in_progress' } })];
  if (item) events.push(sse({ type: 'response.output_item.done', output_index: 0, item }));
  if (reply.kind === 'fail') {
    events.push(
      sse({
        type: 'response.failed',
        response: { id, status: 'failed', error: { code: 'invalid_prompt', message: reply.message }, usage },
      }),
    );
  } else {
    events.push(sse({ type: 'response.completed', response: { id, status: 'completed', usage } }));
  }
  return events.join('');
}
