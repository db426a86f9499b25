import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';
import { projects } from './projects';
import { runs } from './runs';

export const RUN_EVENT_TYPES = [
  'created',
  'status',
  'step',
  'diff',
  'artifact',
  'log',
  'activity',
  'usage',
] as const;

/**
 * Append-only log of everything that happens to a run. The autoincrement id is the
 * subscription cursor: ids are never reused, so "after id N" is exact across reconnects.
 */
export const runEvents = sqliteTable(
  'run_events',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    // Denormalized so a project's run list can follow its runs with one indexed scan.
    projectId: text()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    type: text({ enum: RUN_EVENT_TYPES }).notNull(),
    data: text({ mode: 'json' }).$type<unknown>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('run_events_run_idx').on(t.runId, t.id),
    index('run_events_project_idx').on(t.projectId, t.id),
  ],
);
