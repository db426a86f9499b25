import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';
import { runs } from './runs';

export const ARTIFACT_KINDS = ['codex_jsonl', 'diff_summary', 'diff_patch', 'last_message', 'log'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export const artifacts = sqliteTable(
  'artifacts',
  {
    id: text().primaryKey(),
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    kind: text({ enum: ARTIFACT_KINDS }).notNull(),
    /** File name shown to people and used for downloads, unique within the run. */
    name: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    /** Location inside the artifact store, relative to its root; never a user-supplied path. */
    storagePath: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('artifacts_run_name_unique').on(t.runId, t.name),
    index('artifacts_run_idx').on(t.runId),
  ],
);
