import type { StepDraft } from '@retrace/protocol';
import type { z } from 'zod';
import { unwrapCommand } from './command';
import type { commandItem, KnownItem } from './events';
import type { createFileChangeDescriber } from './file-changes';

/** The step a finished Codex item records. */
export async function stepFromItem(
  item: KnownItem,
  describer: ReturnType<typeof createFileChangeDescriber>,
  startedAt: number,
): Promise<StepDraft> {
  const base = { payload: item, startedAt, finishedAt: Date.now() };
  switch (item.type) {
    case 'agent_message':
      return { ...base, kind: 'agent_message', instruction: item.text, outcomeOk: true };
    case 'reasoning':
      return { ...base, kind: 'reasoning', instruction: item.text, outcomeOk: true };
    case 'command_execution':
      return {
        ...base,
        kind: 'command',
        instruction: unwrapCommand(item.command),
        outcomeOk: item.exit_code === 0,
      };
    case 'file_change': {
      const changes = item.changes.map((c) => ({ ...c, path: describer.relativePath(c.path) }));
      return {
        ...base,
        payload: { ...item, changes },
        kind: 'file_change',
        instruction: await describer.describe(item.changes),
        outcomeOk: item.status === 'completed',
      };
    }
    case 'mcp_tool_call':
      return {
        ...base,
        kind: 'tool_call',
        instruction: `${item.server}.${item.tool}(${JSON.stringify(item.arguments ?? {})})`,
        outcomeOk: item.status === 'completed' && !item.error,
      };
    case 'web_search':
      return { ...base, kind: 'web_search', instruction: item.query, outcomeOk: true };
    case 'todo_list':
      return {
        ...base,
        kind: 'todo_list',
        instruction: item.items.map((t) => `${t.completed ? '[x]' : '[ ]'} ${t.text}`).join('; '),
        outcomeOk: true,
      };
    case 'error':
      return { ...base, kind: 'error', instruction: item.message, outcomeOk: false };
  }
}

/**
 * The step of a command cut off by its run's cancel (or time limit): Codex never finished
 * the item, so it is recorded as it last was, not ok, its status "canceled".
 */
export function canceledCommandStep(item: z.infer<typeof commandItem>, startedAt: number): StepDraft {
  return {
    kind: 'command',
    instruction: unwrapCommand(item.command),
    outcomeOk: false,
    payload: { ...item, status: 'canceled' },
    startedAt,
    finishedAt: Date.now(),
  };
}
