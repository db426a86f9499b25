import { projects, runs } from '@retrace/db';
import {
  type RunInput,
  type RunnerClient,
  RunnerError,
  type RunnerEvent,
  type RunResult,
  type WorkspaceRequest,
} from '@retrace/protocol';
import { and, eq } from 'drizzle-orm';
import { announceStatus, createRunRecorder, type RecorderDeps, type RunEnding } from './run-recorder';

export interface RunExecutorOptions extends RecorderDeps {
  runner: RunnerClient;
  /** How long a canceled run may take to stop before the API stops waiting for the runner. */
  cancelGraceMs?: number;
  /** How long to keep trying to reach a runner that went away in the middle of a run. */
  reconnectForMs?: number;
  /** Once a run has ended and is recorded (a failure becomes its pattern's pitfall). */
  afterRun?: (runId: string) => Promise<void>;
}

interface RunControl {
  abort: AbortController;
  cancelReason: string | null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function endingFromResult(result: RunResult, cancelReason: string | null): RunEnding {
  const status =
    cancelReason !== null || result.outcome === 'canceled' ? 'canceled' : result.ok ? 'succeeded' : 'failed';
  return {
    status,
    error: status === 'succeeded' ? null : (cancelReason ?? result.error ?? 'the run failed'),
    summary: result.summary,
    filesTouched: result.filesTouched,
    usage: result.usage,
    lastMessage: result.lastMessage,
    workspacePath: result.workspacePath,
    verified: result.verified,
    turns: result.turns,
  };
}

/** Takes a queued run to its end through the runner, recording everything on the way. */
export function createRunExecutor(options: RunExecutorOptions) {
  const { db, runner, cancelGraceMs = 10_000, reconnectForMs = 60_000 } = options;
  const controls = new Map<string, RunControl>();
  // A prompt that held a secret is stored redacted; the run still gets it as it was written,
  // from here (memory only, never the database).
  const promptsAsWritten = new Map<string, string>();

  async function inputFor(runId: string): Promise<{ input: RunInput; projectId: string } | null> {
    const [row] = await db
      .select({ run: runs, project: projects })
      .from(runs)
      .innerJoin(projects, eq(projects.id, runs.projectId))
      .where(eq(runs.id, runId));
    if (row?.run.status !== 'queued') return null;
    const { run, project } = row;
    const workspace: WorkspaceRequest = run.fromRunId
      ? { kind: 'fork', fromProjectId: project.id, fromRunId: run.fromRunId }
      : project.sourceRepo
        ? { kind: 'clone', source: project.sourceRepo }
        : { kind: 'new' };
    return {
      projectId: project.id,
      input: {
        runId: run.id,
        projectId: project.id,
        workspace,
        prompt: promptsAsWritten.get(run.id) ?? run.prompt,
        context: {
          base_prompt: project.basePrompt,
          pattern_block: run.pattern?.block ?? '',
          profile: run.profile,
        },
        ...(project.verifyCommand ? { verifyCommand: project.verifyCommand } : {}),
        fullAccess: run.fullAccess,
      },
    };
  }

  /**
   * Streams the run's events into `record`, re-attaching after a lost connection for up to
   * `reconnectForMs`. Events are pulled as fast as the runner sends them and recorded in
   * batches: whatever arrived while the last batch was being written is the next batch.
   */
  async function stream(
    input: RunInput,
    control: RunControl,
    record: (events: RunnerEvent[]) => Promise<void>,
  ) {
    let lastEventId: string | undefined;
    let result: RunResult | null = null;
    let lostSince: number | null = null;
    const writer = createBatchWriter(record);
    for (;;) {
      try {
        for await (const tracked of runner.run(input, {
          signal: control.abort.signal,
          ...(lastEventId ? { lastEventId } : {}),
        })) {
          lostSince = null;
          lastEventId = tracked.id;
          if (tracked.event.type === 'result') result = tracked.event.result;
          else await writer.push(tracked.event);
        }
        await writer.flush();
        return result;
      } catch (error) {
        if (error instanceof RecordingFailure) {
          // The database refused a write: stop the agent rather than run on unrecorded.
          await runner.cancel(input.runId).catch(() => undefined);
          throw error;
        }
        if (control.abort.signal.aborted) {
          await writer.flush();
          return result;
        }
        lostSince ??= Date.now();
        // Only a runner that could not be reached is tried again, resuming after the last event seen.
        const retryable = error instanceof RunnerError && error.retryable;
        if (!retryable || Date.now() - lostSince >= reconnectForMs) {
          await writer.flush();
          throw error;
        }
        await sleep(1000);
      }
    }
  }

  async function execute(runId: string): Promise<void> {
    const prepared = await inputFor(runId);
    if (!prepared) return;
    const run = { id: runId, projectId: prepared.projectId };
    const recorder = createRunRecorder(options, run);
    const control: RunControl = { abort: new AbortController(), cancelReason: null };
    controls.set(runId, control);
    try {
      // Only a run still queued starts: a cancel may have ended it while it waited.
      const started = await db
        .update(runs)
        .set({ status: 'running', startedAt: Date.now() })
        .where(and(eq(runs.id, runId), eq(runs.status, 'queued')))
        .returning({ id: runs.id });
      if (started.length === 0) return;
      await announceStatus(options, run, 'running', 'preparing');
      let ending: RunEnding;
      try {
        const result =
          control.cancelReason === null
            ? await stream(prepared.input, control, (events) => recorder.recordBatch(events))
            : null;
        ending = result
          ? endingFromResult(result, control.cancelReason)
          : control.cancelReason !== null
            ? { status: 'canceled', error: control.cancelReason }
            : { status: 'failed', error: 'the runner ended the run without a result' };
      } catch (error) {
        ending =
          control.cancelReason !== null
            ? { status: 'canceled', error: control.cancelReason }
            : {
                status: 'failed',
                error: error instanceof RecordingFailure ? error.message : `runner error: ${message(error)}`,
              };
      }
      await recorder.finish(ending);
      await options.afterRun?.(runId).catch(() => undefined);
    } finally {
      controls.delete(runId);
      promptsAsWritten.delete(runId);
    }
  }

  /** Asks the runner to stop a running run; false when this process is not running it. */
  async function cancel(runId: string, reason = 'canceled by user'): Promise<boolean> {
    const control = controls.get(runId);
    if (!control) return false;
    control.cancelReason ??= reason;
    const timer = setTimeout(() => control.abort.abort(), cancelGraceMs);
    timer.unref();
    try {
      await runner.cancel(runId);
    } catch {
      control.abort.abort();
    }
    return true;
  }

  return {
    execute,
    cancel,
    activeIds: () => [...controls.keys()],
    /** Keeps the prompt as written for a run whose stored prompt had secrets redacted. */
    keepPrompt: (runId: string, prompt: string) => void promptsAsWritten.set(runId, prompt),
    hasPrompt: (runId: string) => promptsAsWritten.has(runId),
  };
}

/** Past this many events waiting to be written, the reader waits for the writer. */
const MAX_PENDING = 5000;
/**
 * Events per write (one transaction): a burst is written in steps of this size, not at once.
 * What a step holds in memory (its rows, serialised payloads, statements) is garbage before
 * the next starts: less of it outlives the young generation, and the collector copies less
 * (a 10,000-item burst: a third fewer bytes copied). A transaction costs little more than
 * its rows, so a few hundred events each lose nothing.
 */
const MAX_BATCH = 500;

/** Collects events while the previous batch is being written; a failed write surfaces on the next push. */
function createBatchWriter(record: (events: RunnerEvent[]) => Promise<void>) {
  const pending: RunnerEvent[] = [];
  let writing: Promise<void> | null = null;
  let failure: unknown = null;

  const drain = async () => {
    while (pending.length > 0) {
      const batch = pending.splice(0, MAX_BATCH);
      try {
        await record(batch);
      } catch (error) {
        failure ??= new RecordingFailure(error);
        return;
      }
    }
  };
  const start = () => {
    writing ??= drain().finally(() => {
      writing = null;
    });
    return writing;
  };
  return {
    async push(event: RunnerEvent): Promise<void> {
      if (failure) throw failure;
      pending.push(event);
      const running = start();
      if (pending.length >= MAX_PENDING) await running;
      if (failure) throw failure;
    },
    async flush(): Promise<void> {
      while (pending.length > 0 || writing) await start();
      if (failure) throw failure;
    },
  };
}

/** Writing what the runner sent failed (not the runner connection): never retried. */
class RecordingFailure extends Error {
  constructor(cause: unknown) {
    super(`could not record the run: ${message(cause)}`);
  }
}

export type RunExecutor = ReturnType<typeof createRunExecutor>;
