import { DEFAULT_BASE_PROMPT } from '@retrace/protocol';
import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('projects_name_unique').on(t.name)],
);
