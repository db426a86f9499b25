import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';
import { projects } from './projects';
import { runs } from './runs';

/**
 * A pattern is its source runs: what the extractor makes of their steps can change with its
 * version (the block is cached apart, in pattern_cache), its record cannot. The record is
 * read off the runs given it (runs.pattern_id) and the pitfalls their failures left.
 */
export const patterns = sqliteTable(
  'patterns',
  {
    id: text().primaryKey(),
    projectId: text()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** The source run ids, sorted and joined: one pattern for one set of sources. */
    sourceKey: text().notNull(),
    sourceRunIds: text({ mode: 'json' }).$type<string[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('patterns_project_sources_unique').on(t.projectId, t.sourceKey)],
);

/** What went wrong in a run that was given the pattern: the extractor turns the latest into <pitfall> lines. */
export const patternPitfalls = sqliteTable(
  'pattern_pitfalls',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    patternId: text()
      .notNull()
      .references(() => patterns.id, { onDelete: 'cascade' }),
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** One line, normalized and redacted: the failing step and its error. */
    text: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('pattern_pitfalls_pattern_idx').on(t.patternId, t.id),
    uniqueIndex('pattern_pitfalls_run_unique').on(t.runId),
  ],
);
