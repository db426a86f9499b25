import { join } from 'node:path';
import type { Database } from '@retrace/db';
import type { ModelMode, RunnerClient } from '@retrace/protocol';
import { createArtifactStore } from './artifact-store';
import { createBranchService, DEFAULT_GIT_AUTHOR, type GitPerson } from './branches';
import { createEventLog } from './event-log';
import { createExperimentService } from './experiments';
import { createPatternService } from './patterns';
import { createProjectService } from './projects';
import { createRedactor } from './redact';
import { createRemovalService } from './removal';
import { createRunExecutor } from './run-executor';
import { createRunQueue } from './run-queue';
import { createRunService } from './runs';
import { createSuggestions } from './suggestions';

export interface ServicesOptions {
  db: Database;
  runner: RunnerClient;
  /** Artifacts are kept under `<dataDir>/artifacts`. */
  dataDir: string;
  maxConcurrency: number;
  /** How many runs may wait in one project's queue; past it, runs.create answers TOO_MANY_REQUESTS. Default 50. */
  maxQueuedRuns?: number;
  /** Values that must never be stored (tokens, API keys): redacted wherever they appear. */
  secrets?: Array<string | undefined>;
  cancelGraceMs?: number;
  reconnectForMs?: number;
  onRunError?: (runId: string, error: unknown) => void;
  /** Shown by system.info: whether runs use the offline simulator or OpenAI's models. */
  modelMode?: ModelMode;
  remoteRunner?: boolean;
  version?: string;
  /** Author and committer of the branches made from runs; what is not given is Retrace's. */
  gitAuthor?: Partial<GitPerson>;
  /** A run's page, named in its branch's commit. */
  runUrl?: (runId: string) => string | null;
}

export function createServices(options: ServicesOptions) {
  const { db } = options;
  const redact = createRedactor(options.secrets);
  const events = createEventLog(db, redact);
  const artifacts = createArtifactStore(join(options.dataDir, 'artifacts'));
  const recorderDeps = { db, events, artifacts, redact };
  const patterns = createPatternService(db, redact);
  const suggestions = createSuggestions(db, patterns);
  const executor = createRunExecutor({
    ...recorderDeps,
    runner: options.runner,
    afterRun: (runId) => patterns.recordPitfall(runId),
    ...(options.cancelGraceMs !== undefined ? { cancelGraceMs: options.cancelGraceMs } : {}),
    ...(options.reconnectForMs !== undefined ? { reconnectForMs: options.reconnectForMs } : {}),
  });
  const queue = createRunQueue({
    maxConcurrency: options.maxConcurrency,
    execute: executor.execute,
    ...(options.onRunError ? { onError: options.onRunError } : {}),
  });
  const projects = createProjectService(db, redact);
  const maxQueuedRuns = options.maxQueuedRuns ?? 50;
  const runs = createRunService({
    ...recorderDeps,
    projects,
    patterns,
    queue,
    executor,
    suggestions,
    maxQueuedRuns,
  });
  const branches = createBranchService({
    db,
    runner: options.runner,
    runs,
    projects,
    author: { ...DEFAULT_GIT_AUTHOR, ...options.gitAuthor },
    runUrl: options.runUrl ?? (() => null),
  });
  const removal = createRemovalService({ db, runner: options.runner, artifacts });
  const experiments = createExperimentService({
    db,
    projects,
    patterns,
    runs,
    maxQueuedRuns,
  });
  const system = {
    version: options.version ?? '0.0.0',
    modelMode: options.modelMode ?? 'offline',
    remoteRunner: options.remoteRunner ?? false,
    maxConcurrency: options.maxConcurrency,
  };
  return {
    db,
    events,
    artifacts,
    redact,
    executor,
    queue,
    projects,
    patterns,
    suggestions,
    runs,
    branches,
    experiments,
    removal,
    runner: options.runner,
    system,
  };
}

export type ApiServices = ReturnType<typeof createServices>;
