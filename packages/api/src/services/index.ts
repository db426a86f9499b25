import { join } from 'node:path';
import type { Database } from '@retrace/db';
import type { ModelMode, RunnerClient } from '@retrace/protocol';
import { createArtifactStore } from './artifact-store';
import { createEventLog } from './event-log';
import { createPatternService } from './patterns';
import { createProjectService } from './projects';
import { createRedactor } from './redact';
import { createRunExecutor } from './run-executor';
import { createRunQueue } from './run-queue';
import { createRunService } from './runs';

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
}

export function createServices(options: ServicesOptions) {
  const { db } = options;
  const redact = createRedactor(options.secrets);
  const events = createEventLog(db, redact);
  const artifacts = createArtifactStore(join(options.dataDir, 'artifacts'));
  const recorderDeps = { db, events, artifacts, redact };
  const executor = createRunExecutor({
    ...recorderDeps,
    runner: options.runner,
    ...(options.cancelGraceMs !== undefined ? { cancelGraceMs: options.cancelGraceMs } : {}),
    ...(options.reconnectForMs !== undefined ? { reconnectForMs: options.reconnectForMs } : {}),
  });
  const queue = createRunQueue({
    maxConcurrency: options.maxConcurrency,
    execute: executor.execute,
    ...(options.onRunError ? { onError: options.onRunError } : {}),
  });
  const projects = createProjectService(db, redact);
  const patterns = createPatternService(db);
  const runs = createRunService({
    ...recorderDeps,
    projects,
    patterns,
    queue,
    executor,
    maxQueuedRuns: options.maxQueuedRuns ?? 50,
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
    runs,
    runner: options.runner,
    system,
  };
}

export type ApiServices = ReturnType<typeof createServices>;
