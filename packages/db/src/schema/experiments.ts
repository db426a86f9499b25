import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';
import { projects } from './projects';

/** One arm of an experiment: how its attempts learn (from given runs, by Retrace's choice, or not at all). */
export interface ExperimentArm {
  name: string;
  learnFromRunIds: string[] | null;
  autoLearn: boolean;
}

/** The same prompt from the same workspace state, `attempts` runs per arm, compared. */
export const experiments = sqliteTable('experiments', {
  id: text().primaryKey(),
  projectId: text()
    .notNull()
    .references(() => projects.id, { onDelete: 'cascade' }),
  prompt: text().notNull(),
  /** The run whose workspace every attempt starts from; none: the project's fresh workspace. */
  fromRunId: text(),
  attempts: integer().notNull(),
  arms: text({ mode: 'json' }).$type<ExperimentArm[]>().notNull(),
  createdAt: createdAt(),
});
