import {
  type AnySQLiteColumn,
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';
import { projects } from './projects';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly RunStatus[];

export const RUN_PROFILES = ['batch', 'readonly'] as const;
export type RunProfile = (typeof RUN_PROFILES)[number];

/** Kept whole on the run: what was injected stays visible even after the extractor changes. */
export interface InjectedPattern {
  block: string;
  steps: Array<{ n: number; kind: string; instruction: string; sourceRunId: string; sourceSeq: number }>;
  variables: Array<{ name: string; kind: string; value: string }>;
  tokenCount: number;
  truncated: boolean;
  sourceRunIds: string[];
  extractorVersion: string;
}

export type RunUsage = { inputTokens: number; cachedInputTokens: number; outputTokens: number };

export const runs = sqliteTable(
  'runs',
  {
    id: text().primaryKey(),
    // Deleting a project deletes its history; the API refuses while runs are active.
    projectId: text()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** 1, 2, 3… within the project: what people call a run ("#3"). */
    number: integer().notNull(),
    status: text({ enum: RUN_STATUSES }).notNull().default('queued'),
    profile: text({ enum: RUN_PROFILES }).notNull().default('batch'),
    prompt: text().notNull(),
    // A run outlives the runs it learned from or continued: the link is cleared, the run stays.
    learnFromRunId: text().references((): AnySQLiteColumn => runs.id, { onDelete: 'set null' }),
    fromRunId: text().references((): AnySQLiteColumn => runs.id, { onDelete: 'set null' }),
    /** Base prompt + injected pattern + prompt, as composed when the run was created. */
    systemInstructions: text().notNull(),
    /** The pattern injected into this run (block, steps, variables, sources), if it learned from one. */
    pattern: text({ mode: 'json' }).$type<InjectedPattern>(),
    summary: text(),
    filesTouched: text({ mode: 'json' }).$type<string[]>().notNull().default([]),
    usage: text({ mode: 'json' }).$type<RunUsage>(),
    error: text(),
    workspacePath: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: integer(),
    finishedAt: integer(),
  },
  (t) => [
    uniqueIndex('runs_project_number_unique').on(t.projectId, t.number),
    index('runs_project_created_idx').on(t.projectId, t.createdAt, t.id),
    index('runs_status_idx').on(t.status),
  ],
);
