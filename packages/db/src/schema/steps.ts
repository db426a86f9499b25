import { STEP_KINDS } from '@retrace/protocol';
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { runs } from './runs';

export const steps = sqliteTable(
  'steps',
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    kind: text({ enum: STEP_KINDS }).notNull(),
    /** Normalized one-line description: for a command, the command itself. */
    instruction: text().notNull(),
    outcomeOk: integer({ mode: 'boolean' }).notNull(),
    /** The raw item the step came from (a Codex item, a chat message, a tool result). */
    payload: text({ mode: 'json' }).$type<unknown>(),
    startedAt: integer().notNull(),
    finishedAt: integer(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);
