/**
 * The shapes the API hands out: what the web app, the client and the REST routes see. Each
 * is a stored row's own fields (derived from the table) less what stays inside, plus what
 * is computed from it.
 */
import type { artifacts, projects, runs, steps } from '@retrace/db';
import {
  type DiffFile,
  type Step as RecordedStep,
  type StepStatus,
  stepStatus,
  type WorkspaceDiff,
} from '@retrace/protocol';

type ProjectRow = typeof projects.$inferSelect;
type RunRow = typeof runs.$inferSelect;
type StepRow = typeof steps.$inferSelect;
type ArtifactRow = typeof artifacts.$inferSelect;

export type Project = ProjectRow & {
  runCount: number;
  /** When the project or any of its runs last changed. */
  lastActivityAt: number;
};

export function toProject(row: ProjectRow, stats: { runCount: number; lastRunAt: number | null }): Project {
  return { ...row, runCount: stats.runCount, lastActivityAt: Math.max(row.updatedAt, stats.lastRunAt ?? 0) };
}

/** What a run page shows but a run list leaves out: the large fields. */
export const RUN_DETAIL_FIELDS = [
  'systemInstructions',
  'codexInstructions',
  'pattern',
  'workspacePath',
  'updatedAt',
] as const;
type RunDetail = Pick<RunRow, (typeof RUN_DETAIL_FIELDS)[number]>;

/** A run's row as a list reads it: the large fields left in the database. */
export type ListedRunRow = Omit<RunRow, keyof RunDetail> & {
  /** It learned from another run: a pattern was injected. */
  hasPattern: boolean;
};

/** A run as listed: everything a run list shows, nothing large. */
export type RunListItem = ListedRunRow & { durationMs: number | null };

export type Run = RunListItem & RunDetail;

function durationMs(startedAt: number | null, finishedAt: number | null): number | null {
  return startedAt !== null && finishedAt !== null ? finishedAt - startedAt : null;
}

export function toListedRun(row: ListedRunRow): RunListItem {
  return { ...row, durationMs: durationMs(row.startedAt, row.finishedAt) };
}

export function toRunListItem(row: RunRow): RunListItem {
  // The large fields are those RUN_DETAIL_FIELDS names, here as in the list's SQL.
  const listed: Partial<RunRow> = { ...row };
  for (const field of RUN_DETAIL_FIELDS) delete listed[field];
  return toListedRun({ ...(listed as Omit<RunRow, keyof RunDetail>), hasPattern: row.pattern !== null });
}

export function toRun(row: RunRow): Run {
  // One object: a run page is read far more often than anything else.
  return { ...row, hasPattern: row.pattern !== null, durationMs: durationMs(row.startedAt, row.finishedAt) };
}

/** A recorded step as served: the runner's step, with how long it took and how it ended. */
export type Step = RecordedStep & { durationMs: number | null; status: StepStatus };

export function toStep({ runId: _runId, ...step }: StepRow): Step {
  return {
    ...step,
    payload: step.payload ?? null,
    durationMs: durationMs(step.startedAt, step.finishedAt),
    status: stepStatus(step),
  };
}

export type Artifact = Omit<ArtifactRow, 'runId' | 'storagePath'> & {
  /** Download path on the server (add `?token=` when the server asks for a token). */
  url: string;
};

export function artifactUrl(runId: string, name: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/artifacts/${encodeURIComponent(name)}`;
}

export function toArtifact({ runId, storagePath: _storagePath, ...artifact }: ArtifactRow): Artifact {
  return { ...artifact, url: artifactUrl(runId, artifact.name) };
}

/** A diff without its patches: what travels in live events and run lists. */
export type DiffSummary = Omit<WorkspaceDiff, 'baseTree' | 'files'> & {
  files: Array<Omit<DiffFile, 'patch' | 'truncated'>>;
};
