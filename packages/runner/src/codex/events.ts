import { z } from 'zod';

/** The Codex CLI's `exec --json` events (0.169). Unknown fields pass through; unknown types are kept raw. */
const usage = z.looseObject({
  input_tokens: z.number().default(0),
  cached_input_tokens: z.number().default(0),
  output_tokens: z.number().default(0),
});

export const agentMessageItem = z.looseObject({
  id: z.string(),
  type: z.literal('agent_message'),
  text: z.string(),
});
export const reasoningItem = z.looseObject({
  id: z.string(),
  type: z.literal('reasoning'),
  text: z.string(),
});
export const commandItem = z.looseObject({
  id: z.string(),
  type: z.literal('command_execution'),
  command: z.string(),
  aggregated_output: z.string().default(''),
  exit_code: z.number().nullable().optional(),
  status: z.string(),
});
export const fileChangeItem = z.looseObject({
  id: z.string(),
  type: z.literal('file_change'),
  changes: z.array(z.looseObject({ path: z.string(), kind: z.string() })),
  status: z.string(),
});
export const mcpToolCallItem = z.looseObject({
  id: z.string(),
  type: z.literal('mcp_tool_call'),
  server: z.string().default(''),
  tool: z.string().default(''),
  arguments: z.unknown().optional(),
  status: z.string(),
  error: z.unknown().optional(),
});
export const webSearchItem = z.looseObject({
  id: z.string(),
  type: z.literal('web_search'),
  query: z.string().default(''),
});
export const todoListItem = z.looseObject({
  id: z.string(),
  type: z.literal('todo_list'),
  items: z.array(z.looseObject({ text: z.string(), completed: z.boolean().default(false) })).default([]),
});
export const errorItem = z.looseObject({ id: z.string(), type: z.literal('error'), message: z.string() });

export const knownItem = z.discriminatedUnion('type', [
  agentMessageItem,
  reasoningItem,
  commandItem,
  fileChangeItem,
  mcpToolCallItem,
  webSearchItem,
  todoListItem,
  errorItem,
]);
export type KnownItem = z.infer<typeof knownItem>;

export const codexEvent = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('thread.started'), thread_id: z.string().optional() }),
  z.looseObject({ type: z.literal('turn.started') }),
  z.looseObject({ type: z.literal('turn.completed'), usage: usage.optional() }),
  z.looseObject({ type: z.literal('turn.failed'), error: z.looseObject({ message: z.string() }) }),
  z.looseObject({ type: z.literal('error'), message: z.string() }),
  z.looseObject({
    type: z.enum(['item.started', 'item.updated', 'item.completed']),
    item: z.looseObject({ id: z.string(), type: z.string() }),
  }),
]);
export type CodexEvent = z.infer<typeof codexEvent>;

export type ParsedLine =
  | { kind: 'event'; event: CodexEvent }
  /** Valid JSON of a type we do not know: kept as it is, never fatal. */
  | { kind: 'unknown'; value: unknown }
  | { kind: 'malformed'; error: string };

export function parseLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { kind: 'malformed', error: (error as Error).message };
  }
  const parsed = codexEvent.safeParse(value);
  return parsed.success ? { kind: 'event', event: parsed.data } : { kind: 'unknown', value };
}

/** An item of a known type, or null (an unknown type stays raw in the JSONL). */
export function parseItem(item: unknown): KnownItem | null {
  const parsed = knownItem.safeParse(item);
  return parsed.success ? parsed.data : null;
}
