import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';
import { projects } from './projects';
import type { InjectedPattern } from './runs';

/** Derived data only: a pattern can always be extracted again from its source runs' steps. */
export const patternCache = sqliteTable(
  'pattern_cache',
  {
    /** Extractor version + the sorted source run ids. */
    key: text().primaryKey(),
    projectId: text()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    sourceRunIds: text({ mode: 'json' }).$type<string[]>().notNull(),
    extractorVersion: text().notNull(),
    /** The extractor's whole result (block, steps, variables, tokenCount, truncated). */
    pattern: text({ mode: 'json' }).$type<InjectedPattern>().notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer()
      .notNull()
      .$defaultFn(() => Date.now()),
  },
  (t) => [index('pattern_cache_project_idx').on(t.projectId)],
);
