import { DEFAULT_BASE_PROMPT } from '@retrace/protocol';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';

export const projects = sqliteTable(
  'projects',
  {
    id: text().primaryKey(),
    name: text().notNull(),
    basePrompt: text().notNull().default(DEFAULT_BASE_PROMPT),
    /** A git URL or local path cloned into the project's first workspace. */
    sourceRepo: text(),
    /** Run in the workspace after the agent; the run succeeds only if it passes. */
    verifyCommand: text(),
    /** Runs without Codex's sandbox: an explicit choice, shown as a warning wherever it applies. */
    fullAccess: integer({ mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('projects_name_unique').on(t.name)],
);
