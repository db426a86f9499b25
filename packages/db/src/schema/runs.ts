import type { Pattern } from '@retrace/patterns';
import { PROFILES, type RunUsage } from '@retrace/protocol';
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

/** Kept whole on the run: what was injected stays visible even after the extractor changes. */
export type InjectedPattern = Pattern & { sourceRunIds: string[]; extractorVersion: string };

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
    profile: text({ enum: PROFILES }).notNull().default('batch'),
    /** Ran without Codex's sandbox, as its project chose when the run was created. */
    fullAccess: integer({ mode: 'boolean' }).notNull().default(false),
    prompt: text().notNull(),
    // A run outlives the runs it learned from or continued: the link is cleared, the run stays.
    learnFromRunId: text().references((): AnySQLiteColumn => runs.id, { onDelete: 'set null' }),
    fromRunId: text().references((): AnySQLiteColumn => runs.id, { onDelete: 'set null' }),
    /** The agent model's system message, as the runner sent it; null until the runner reports it. */
    systemInstructions: text(),
    /** Codex's developer instructions, as the runner sent them; null when Codex was given none. */
    codexInstructions: text(),
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
