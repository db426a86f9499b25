import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BranchRequest,
  type BranchResult,
  branchRequestSchema,
  describeIssues,
  type Profile,
  type RemoveWorkspacesRequest,
  type RunInput,
  RunnerError,
  type RunnerHealth,
  removeWorkspacesSchema,
  runInputSchema,
  type TrackedRunnerEvent,
} from '@retrace/protocol';
import OpenAI from 'openai';
import type { z } from 'zod';
import { codexVersion } from './codex/binary';
import { prepareCodexHome } from './codex/config';
import { reapOrphans } from './codex/process-tree';
import { startWatchdog, waitForEarlierWatchdogs } from './codex/watchdog';
import { executeRun, type RunContext } from './execute-run';
import type { RunnerModels } from './models';
import {
  createRunState,
  ended,
  type FollowOptions,
  followRun,
  type RunState,
  releaseThrough,
  requestStop,
} from './run-state';
import { commandEnvironment } from './sandbox/environment';
import { branchFromWorkspace } from './workspace/branch';
import {
  DEFAULT_DIFF_LIMITS,
  type DiffLimits,
  resolveWorkspaceInsideDataDir,
  workspaceFolder,
  workspacePath,
} from './workspace/index';
import { isWithin, removeWorkspaces } from './workspace/remove';

export interface RunnerOptions {
  dataDir: string;
  /** The agent's and Codex's models: the composition root chooses them (offline or hosted). */
  models: RunnerModels;
  /**
   * The environment Codex and the verify command start from (the composition root passes its
   * own); Retrace's variables and anything shaped like a key, token or secret are removed.
   */
  environment: Record<string, string | undefined>;
  /** More paths no command may read, beyond the data dir's (always hidden); each must exist. */
  hiddenPaths?: string[];
  /** The Codex binary; by default the one the @openai/codex dependency installed. */
  codexBinary?: string;
  /** Defaults: batch 30 min, readonly 10 min. */
  timeoutsMs?: Partial<Record<Profile, number>>;
  maxTurns?: number;
  diffLimits?: DiffLimits;
  /** How long a finished run's events stay available to late or reconnecting subscribers. */
  keepFinishedMs?: number;
  version?: string;
}

const DEFAULT_TIMEOUTS: Record<Profile, number> = { batch: 30 * 60_000, readonly: 10 * 60_000 };

/** A run input the runner cannot take, as the one error its clients throw: field: message. */
/** Input from the local client is checked as the router checks it over HTTP. */
function parseInput<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new RunnerError('BAD_REQUEST', describeIssues(parsed.error.issues), { cause: parsed.error });
}

const parseRunInput = (raw: RunInput) => parseInput(runInputSchema, raw);

const unknownRun = (runId: string) =>
  new RunnerError('NOT_FOUND', `the runner does not know run ${runId} (it may have restarted)`);

/**
 * The runner: takes a run (workspace request, prompt, context variables), runs the agent
 * loop with Codex in the workspace, and streams what happens as events. A run is started
 * once; asking for it again attaches to it and resumes after the last event seen.
 */
export function createRunner(options: RunnerOptions) {
  const runs = new Map<string, RunState>();
  const { models } = options;
  const codexHome = join(options.dataDir, 'codex-home');
  const processRegistry = join(options.dataDir, 'processes');
  // Commands a killed runner left behind are ended, and its watchdog has finished, before
  // anything new starts; and if this one is killed, its own watchdog ends its commands at once.
  const watchdog = startWatchdog(codexHome);
  const reaped = waitForEarlierWatchdogs(codexHome, watchdog.pid).then(() => reapOrphans(processRegistry));
  // Prepared by the first run (a failure then fails that run, not the process).
  let catalog: Promise<string | null> | undefined;
  const keepFinishedMs = options.keepFinishedMs ?? 10 * 60_000;
  const context: RunContext = {
    dataDir: options.dataDir,
    models,
    agentClient: new OpenAI({
      baseURL: models.agent.baseURL,
      apiKey: models.agent.apiKey ?? 'offline-model-needs-no-key',
      // The offline model is on loopback: a failure is a bug to show at once, not a blip.
      maxRetries: models.mode === 'offline' ? 0 : 2,
    }),
    codexHome,
    processRegistry,
    tagPrefix: watchdog.prefix,
    async codexReady() {
      await reaped;
      catalog ??= prepareCodexHome(codexHome, models.codex).catch((error: unknown) => {
        catalog = undefined;
        throw error;
      });
      return catalog;
    },
    environment: commandEnvironment(options.environment),
    hiddenPaths: options.hiddenPaths ?? [],
    codexBinary: options.codexBinary,
    timeoutMs: (profile) => options.timeoutsMs?.[profile] ?? DEFAULT_TIMEOUTS[profile],
    maxTurns: options.maxTurns ?? 8,
    diffLimits: options.diffLimits ?? DEFAULT_DIFF_LIMITS,
  };

  // git push uses the person's own ssh agent; everything else secret stays out.
  const sshAgent = options.environment.SSH_AUTH_SOCK;
  const pushEnvironment = { ...context.environment, ...(sshAgent ? { SSH_AUTH_SOCK: sshAgent } : {}) };

  const active = () => [...runs.values()].filter((state) => !state.done);
  /**
   * The run working in (or copying from) a folder, or inside it: the folder cannot go. A run
   * that has sent its result is done with its workspace, though it may still be tidying up.
   */
  const usingFolder = (folder: string): string | null => {
    for (const state of active()) {
      if (state.resultSent) continue;
      const { workspace, runId } = state.input;
      const used = [workspaceFolder(options.dataDir, state.input)];
      if (workspace.kind === 'fork')
        used.push(workspacePath(options.dataDir, workspace.fromProjectId, workspace.fromRunId));
      if (used.some((path) => isWithin(folder, path) || isWithin(path, folder))) return runId;
    }
    return null;
  };

  return {
    /** Starts a run, or returns the one already started with this id. */
    start(raw: RunInput): { started: boolean } {
      const input = parseRunInput(raw);
      if (runs.has(input.runId)) return { started: false };
      // Two runs in one folder would mix their changes and their diffs.
      const folder = workspaceFolder(options.dataDir, input);
      const busy = active().find((state) => workspaceFolder(options.dataDir, state.input) === folder);
      if (busy) {
        throw new RunnerError(
          'CONFLICT',
          `workspace ${folder} is in use by run ${busy.input.runId}; one run at a time per workspace`,
        );
      }
      const state = createRunState(input);
      runs.set(input.runId, state);
      void executeRun(state, context).finally(() =>
        setTimeout(() => runs.delete(input.runId), keepFinishedMs).unref(),
      );
      return { started: true };
    },
    has: (runId: string) => runs.has(runId),
    /** A free-form workspace path checked (inside the data dir) and created, as the seed route takes it. */
    resolveWorkspace: (path: string) => resolveWorkspaceInsideDataDir(options.dataDir, path),
    /** The run's events after `afterId`, then live ones, ending after its result. */
    follow(
      runId: string,
      afterId: number,
      signal?: AbortSignal,
      options?: FollowOptions,
    ): AsyncGenerator<TrackedRunnerEvent> {
      const state = runs.get(runId);
      if (!state) throw unknownRun(runId);
      return followRun(state, afterId, signal, options);
    },
    /**
     * Lets the run's events up to `throughEventId` go, once its one follower has them: a
     * follow from before that is a CONFLICT. A run this runner no longer keeps has none.
     */
    release(runId: string, throughEventId: number): { released: number } {
      const state = runs.get(runId);
      return { released: state ? releaseThrough(state, throughEventId) : 0 };
    },
    /** Stops a run: its process tree is killed and it ends with outcome "canceled". */
    cancel(runId: string, reason = 'canceled'): boolean {
      const state = runs.get(runId);
      if (!state || state.done) return false;
      requestStop(state, reason);
      return true;
    },
    /** The ended run's workspace as a commit on a new branch of its source repository. */
    async toBranch(raw: BranchRequest): Promise<BranchResult> {
      const request = parseInput(branchRequestSchema, raw);
      const folder = workspacePath(options.dataDir, request.projectId, request.runId);
      if (active().some((state) => workspaceFolder(options.dataDir, state.input) === folder)) {
        throw new RunnerError(
          'CONFLICT',
          `run ${request.runId} is still running; its branch can be made once it ends`,
        );
      }
      if (!(await stat(folder).catch(() => null))?.isDirectory()) {
        throw new RunnerError('NOT_FOUND', `the workspace of run ${request.runId} is gone (${folder})`);
      }
      return branchFromWorkspace(folder, request, pushEnvironment);
    },
    /** Deletes run workspaces (a project's, or some runs'); CONFLICT while an active run uses one. */
    async removeWorkspaces(raw: RemoveWorkspacesRequest): Promise<{ removed: number }> {
      const request = parseInput(removeWorkspacesSchema, raw);
      return removeWorkspaces(
        options.dataDir,
        request,
        usingFolder,
        (folder, runId) =>
          new RunnerError(
            'CONFLICT',
            `workspace ${folder} is in use by run ${runId}; cancel it or wait for it to end`,
          ),
      );
    },
    async health(): Promise<RunnerHealth> {
      return {
        ok: true,
        version: options.version ?? '0.0.0',
        codexVersion: await codexVersion().catch(() => null),
        modelMode: models.mode,
        activeRuns: active().length,
      };
    },
    /** Cancels every active run and waits for them to end. */
    async close(): Promise<void> {
      const stopping = active();
      for (const state of stopping) requestStop(state, 'canceled: runner stopped', 'runner stopped');
      await Promise.all(stopping.map(ended));
      watchdog.stop();
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
