/** The shapes the API hands out: what the web app, the client and the REST routes see. */
import type { artifacts, InjectedPattern, projects, RunStatus, RunUsage, runs, steps } from '@retrace/db';
import type { StepKind } from '@retrace/patterns';
import type { DiffFileStatus } from '@retrace/runner';

type ProjectRow = typeof projects.$inferSelect;
type RunRow = typeof runs.$inferSelect;
type StepRow = typeof steps.$inferSelect;
type ArtifactRow = typeof artifacts.$inferSelect;

export interface Project {
  id: string;
  name: string;
  basePrompt: string;
  sourceRepo: string | null;
  verifyCommand: string | null;
  createdAt: number;
  updatedAt: number;
  runCount: number;
  /** When the project or any of its runs last changed. */
  lastActivityAt: number;
}

export function toProject(row: ProjectRow, stats: { runCount: number; lastRunAt: number | null }): Project {
  return {
    id: row.id,
    name: row.name,
    basePrompt: row.basePrompt,
    sourceRepo: row.sourceRepo,
    verifyCommand: row.verifyCommand,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    runCount: stats.runCount,
    lastActivityAt: Math.max(row.updatedAt, stats.lastRunAt ?? 0),
  };
}

/** A run as listed: everything a run list shows, nothing large. */
export interface RunListItem {
  id: string;
  projectId: string;
  number: number;
  status: RunStatus;
  profile: RunRow['profile'];
  prompt: string;
  learnFromRunId: string | null;
  fromRunId: string | null;
  hasPattern: boolean;
  summary: string | null;
  error: string | null;
  usage: RunUsage | null;
  filesTouched: string[];
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
}

export interface Run extends RunListItem {
  systemInstructions: string;
  /** What was injected into this run, if it learned from another: the block, its steps and variables. */
  pattern: InjectedPattern | null;
  workspacePath: string | null;
  updatedAt: number;
}

export function toRunListItem(row: RunRow): RunListItem {
  return {
    id: row.id,
    projectId: row.projectId,
    number: row.number,
    status: row.status,
    profile: row.profile,
    prompt: row.prompt,
    learnFromRunId: row.learnFromRunId,
    fromRunId: row.fromRunId,
    hasPattern: row.pattern !== null,
    summary: row.summary,
    error: row.error,
    usage: row.usage ?? null,
    filesTouched: row.filesTouched,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.startedAt !== null && row.finishedAt !== null ? row.finishedAt - row.startedAt : null,
  };
}

export function toRun(row: RunRow): Run {
  return {
    ...toRunListItem(row),
    systemInstructions: row.systemInstructions,
    pattern: row.pattern ?? null,
    workspacePath: row.workspacePath,
    updatedAt: row.updatedAt,
  };
}

export interface Step {
  seq: number;
  kind: StepKind;
  instruction: string;
  outcomeOk: boolean;
  payload: unknown;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
}

export function toStep(row: StepRow): Step {
  return {
    seq: row.seq,
    kind: row.kind,
    instruction: row.instruction,
    outcomeOk: row.outcomeOk,
    payload: row.payload ?? null,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.finishedAt !== null ? row.finishedAt - row.startedAt : null,
  };
}

export interface Artifact {
  id: string;
  kind: ArtifactRow['kind'];
  name: string;
  contentType: string;
  size: number;
  createdAt: number;
  /** Download path on the server (add `?token=` when the server asks for a token). */
  url: string;
}

export function artifactUrl(runId: string, name: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/artifacts/${encodeURIComponent(name)}`;
}

export function toArtifact(row: ArtifactRow): Artifact {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    contentType: row.contentType,
    size: row.size,
    createdAt: row.createdAt,
    url: artifactUrl(row.runId, row.name),
  };
}

/** A diff without its patches: what travels in live events and run lists. */
export interface DiffSummary {
  files: Array<{
    path: string;
    oldPath?: string;
    status: DiffFileStatus;
    additions: number;
    deletions: number;
    binary: boolean;
  }>;
  additions: number;
  deletions: number;
  truncated: boolean;
}
