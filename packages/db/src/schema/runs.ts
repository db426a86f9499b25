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
import { experiments } from './experiments';
import { patterns } from './patterns';
import { projects } from './projects';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly RunStatus[];

/** Kept whole on the run: what was injected stays visible even after the extractor changes. */
export type InjectedPattern = Pattern & { sourceRunIds: string[]; extractorVersion: string };

/** Why a run was given the pattern it got, or none: a person's pick, or Retrace's score and reasons. */
export type LearnReason =
  | { by: 'person' }
  | { by: 'auto'; picked: true; score: number; reasons: string[] }
  | { by: 'auto'; picked: false; reasons: string[] };

export const REVIEW_VERDICTS = ['approve', 'reject'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];
/** A person's judgement of a run: counted in the record of the pattern it was given. */
export interface RunReview {
  verdict: ReviewVerdict;
  note: string | null;
  at: number;
}

/** The branch a run's change became in its project's source repository. */
export interface RunBranch {
  name: string;
  commit: string;
  /** The source repository's `origin` when it has one (credentials removed), else null. */
  remote: string | null;
  /** When the branch was pushed to `remote`; null until it is. */
  pushedAt: number | null;
}

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
    /** The run this one was a retry of. */
    retryOfRunId: text().references((): AnySQLiteColumn => runs.id, { onDelete: 'set null' }),
    /** The commit the workspace started from (the source repository's HEAD for a fresh run). */
    baseCommit: text(),
    branch: text({ mode: 'json' }).$type<RunBranch>(),
    /** The agent model's system message, as the runner sent it; null until the runner reports it. */
    systemInstructions: text(),
    /** Codex's developer instructions, as the runner sent them; null when Codex was given none. */
    codexInstructions: text(),
    /** The pattern injected into this run (block, steps, variables, sources), if it learned from one. */
    pattern: text({ mode: 'json' }).$type<InjectedPattern>(),
    /** The pattern (its record) this run counts for. */
    patternId: text().references((): AnySQLiteColumn => patterns.id, { onDelete: 'set null' }),
    learnReason: text({ mode: 'json' }).$type<LearnReason>(),
    /** true: the verify command passed; null: the agent finished and there is none (or not ended); false: failed. */
    verified: integer({ mode: 'boolean' }),
    review: text({ mode: 'json' }).$type<RunReview>(),
    /** Agent-model turns the run took. */
    turns: integer(),
    experimentId: text().references((): AnySQLiteColumn => experiments.id, { onDelete: 'set null' }),
    experimentArm: text(),
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
    index('runs_pattern_idx').on(t.patternId),
    index('runs_experiment_idx').on(t.experimentId),
  ],
);
