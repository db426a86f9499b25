import { join } from 'node:path';
import { execa } from 'execa';
import OpenAI from 'openai';
import { agentInstructions, codexDeveloperInstructions } from './agent/instructions';
import { runAgentLoop, type ToolResult } from './agent/loop';
import { codexVersion } from './codex/binary';
import { type CodexModelConfig, prepareCodexHome } from './codex/config';
import { codexExec } from './codex/exec';
import { createFileChangeDescriber } from './codex/file-changes';
import { killTree, reapOrphans } from './codex/process-tree';
import type { StepDraft } from './codex/steps';
import {
  type ParsedRunInput,
  type Profile,
  type RunInput,
  type RunnerEvent,
  type RunnerHealth,
  type RunResult,
  type RunUsage,
  runInputSchema,
  type TrackedRunnerEvent,
  type WorkspaceDiff,
} from './contract';
import {
  DEFAULT_DIFF_LIMITS,
  type DiffLimits,
  diffWorkspace,
  prepareWorkspace,
  resolveWorkspaceInsideDataDir,
  snapshotTree,
} from './workspace/index';

export interface RunnerOptions {
  dataDir: string;
  /** The runner agent's chat model (OpenAI-compatible). */
  agent: { baseURL?: string | undefined; apiKey?: string | undefined; model: string; maxRetries?: number };
  codex: CodexModelConfig;
  /** Extra environment for Codex, e.g. OPENAI_API_KEY in openai mode. */
  codexEnv?: Record<string, string>;
  /** The Codex binary; by default the one the @openai/codex dependency installed. */
  codexBinary?: string;
  /** Defaults: batch 30 min, readonly 10 min. */
  timeoutsMs?: Partial<Record<Profile, number>>;
  verifyTimeoutMs?: number;
  maxTurns?: number;
  diffLimits?: DiffLimits;
  /** How long a finished run's events stay available to late or reconnecting subscribers. */
  keepFinishedMs?: number;
  version?: string;
}

interface RunState {
  input: ParsedRunInput;
  events: TrackedRunnerEvent[];
  wake: Set<() => void>;
  done: boolean;
  abort: AbortController;
  cancelReason: string | null;
}

const DEFAULT_TIMEOUTS: Record<Profile, number> = { batch: 30 * 60_000, readonly: 10 * 60_000 };
const VERIFY_OUTPUT_LIMIT = 64_000;
const emptyUsage = (): RunUsage => ({ inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 });

export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
}

/**
 * The runner: takes a run (workspace request, prompt, context variables), runs the agent
 * loop with Codex in the workspace, and streams what happens as events. A run is started
 * once; asking for it again attaches to it and resumes after the last event seen.
 */
export function createRunner(options: RunnerOptions) {
  const runs = new Map<string, RunState>();
  const codexHome = join(options.dataDir, 'codex-home');
  const processRegistry = join(options.dataDir, 'processes');
  // Commands a killed runner left behind are ended before anything new starts.
  const reaped = reapOrphans(processRegistry);
  // Prepared by the first run (a failure then fails that run, not the process).
  let catalog: Promise<string | null> | undefined;
  const client = new OpenAI({
    baseURL: options.agent.baseURL,
    apiKey: options.agent.apiKey ?? 'offline-model-needs-no-key',
    maxRetries: options.agent.maxRetries ?? 2,
  });
  const keepFinishedMs = options.keepFinishedMs ?? 10 * 60_000;

  function emit(state: RunState, event: RunnerEvent): void {
    state.events.push({ id: String(state.events.length + 1), event });
    for (const wake of state.wake) wake();
  }

  async function execute(state: RunState): Promise<void> {
    const { input } = state;
    const timeout = options.timeoutsMs?.[input.context.profile] ?? DEFAULT_TIMEOUTS[input.context.profile];
    // A timer of our own: AbortSignal.timeout() inside AbortSignal.any() can be garbage
    // collected before it fires, and the run would never time out.
    const timeoutController = new AbortController();
    const timer = setTimeout(() => timeoutController.abort(new Error('timeout')), timeout);
    const signal = AbortSignal.any([state.abort.signal, timeoutController.signal]);
    let seq = 0;
    let codexCalls = 0;
    const step = (draft: StepDraft) => emit(state, { type: 'step', step: { seq: ++seq, ...draft } });
    const log = (level: 'info' | 'warn' | 'error', source: 'codex' | 'runner' | 'verify', message: string) =>
      emit(state, { type: 'log', level, source, message });
    let workspacePath = '';
    let diff: WorkspaceDiff | null = null;
    const usage = emptyUsage();
    const filesTouched = new Set<string>();
    let lastMessage: string | null = null;

    const finish = (
      result: Omit<RunResult, 'usage' | 'workspacePath' | 'diff' | 'filesTouched' | 'lastMessage'>,
    ) => {
      for (const file of diff?.files ?? []) filesTouched.add(file.path);
      emit(state, {
        type: 'result',
        result: { ...result, usage, workspacePath, diff, filesTouched: [...filesTouched], lastMessage },
      });
    };

    try {
      workspacePath = await prepareWorkspace({
        dataDir: options.dataDir,
        projectId: input.projectId,
        runId: input.runId,
        request: input.workspace,
      });
      emit(state, { type: 'status', status: 'preparing', workspacePath });
      const baseTree = await snapshotTree(workspacePath);
      const describer = createFileChangeDescriber(workspacePath, baseTree);
      const refreshDiff = async () => {
        diff = await diffWorkspace(workspacePath, baseTree, options.diffLimits ?? DEFAULT_DIFF_LIMITS);
        emit(state, { type: 'diff', diff });
      };
      await reaped;
      catalog ??= prepareCodexHome(codexHome, options.codex).catch((error: unknown) => {
        catalog = undefined;
        throw error;
      });
      const catalogPath = await catalog;
      emit(state, { type: 'status', status: 'running', workspacePath });

      const runTool = async (instructions: string): Promise<ToolResult> => {
        let exec: Awaited<ReturnType<typeof codexExec>>;
        try {
          exec = await codexExec({
            workspace: workspacePath,
            instructions,
            profile: input.context.profile,
            config: options.codex,
            codexHome,
            catalogPath,
            developerInstructions: codexDeveloperInstructions(input.context),
            ...(options.codexEnv ? { env: options.codexEnv } : {}),
            describer,
            signal,
            processRegistry,
            ...(options.codexBinary ? { binary: options.codexBinary } : {}),
            processName: `${input.runId}-${++codexCalls}`,
            onLine: (line) => emit(state, { type: 'codex_line', line }),
            onStep: step,
            onActivity: (activity) => emit(state, { type: 'activity', activity }),
            onLog: (level, message) => log(level, 'codex', message),
            onFileChange: refreshDiff,
          });
        } catch (error) {
          // Codex could not run at all: the agent (and the transcript) hear why.
          if (signal.aborted) throw error;
          return { ok: false, summary: '', filesTouched: [], error: describeError(error) };
        }
        usage.inputTokens += exec.usage.inputTokens;
        usage.cachedInputTokens += exec.usage.cachedInputTokens;
        usage.outputTokens += exec.usage.outputTokens;
        for (const file of exec.filesTouched) filesTouched.add(file);
        if (exec.lastMessage) lastMessage = exec.lastMessage;
        return {
          ok: exec.ok,
          summary: exec.lastMessage ?? '',
          filesTouched: exec.filesTouched,
          error: exec.error,
        };
      };

      const loop = await runAgentLoop({
        client,
        model: options.agent.model,
        system: agentInstructions(input.context, workspacePath),
        history: input.messages,
        prompt: input.prompt,
        maxTurns: options.maxTurns ?? 8,
        signal,
        runTool,
        onStep: async (draft) => step(draft),
      });
      usage.inputTokens += loop.usage.inputTokens;
      usage.cachedInputTokens += loop.usage.cachedInputTokens;
      usage.outputTokens += loop.usage.outputTokens;
      await refreshDiff();

      let error: string | null = null;
      const maxTurns = options.maxTurns ?? 8;
      if (!loop.finished)
        error = `the agent was still calling tools after ${maxTurns} turn${maxTurns === 1 ? '' : 's'}`;
      else if (!loop.lastTool) error = 'the agent answered without running Codex';
      else if (!loop.lastTool.ok) error = loop.lastTool.error ?? 'Codex did not finish the task';
      if (error === null && input.verifyCommand) {
        emit(state, { type: 'status', status: 'verifying', workspacePath });
        error = await verify(input.verifyCommand, workspacePath, signal, step, log);
        await refreshDiff();
      }
      if (signal.aborted) throw signal.reason;
      finish({
        ok: error === null,
        outcome: error === null ? 'succeeded' : 'failed',
        summary: loop.summary,
        error,
      });
    } catch (error) {
      if (state.abort.signal.aborted) {
        finish({ ok: false, outcome: 'canceled', summary: '', error: state.cancelReason ?? 'canceled' });
      } else {
        const timedOut = signal.aborted && !state.abort.signal.aborted;
        const message = timedOut ? `timed out after ${Math.round(timeout / 1000)} s` : describeError(error);
        log('error', 'runner', message);
        finish({ ok: false, outcome: 'failed', summary: '', error: message });
      }
    } finally {
      clearTimeout(timer);
      state.done = true;
      for (const wake of state.wake) wake();
      setTimeout(() => runs.delete(input.runId), keepFinishedMs).unref();
    }
  }

  return {
    /** Starts a run, or returns the one already started with this id. */
    start(raw: RunInput): { started: boolean } {
      const input = runInputSchema.parse(raw);
      if (runs.has(input.runId)) return { started: false };
      const state: RunState = {
        input,
        events: [],
        wake: new Set(),
        done: false,
        abort: new AbortController(),
        cancelReason: null,
      };
      runs.set(input.runId, state);
      void execute(state);
      return { started: true };
    },
    has: (runId: string) => runs.has(runId),
    /** A free-form workspace path checked (inside the data dir) and created, as the seed route takes it. */
    resolveWorkspace: (path: string) => resolveWorkspaceInsideDataDir(options.dataDir, path),
    /** The run's events after `afterId`, then live ones, ending after its result. */
    async *follow(runId: string, afterId: number, signal?: AbortSignal): AsyncGenerator<TrackedRunnerEvent> {
      const state = runs.get(runId);
      if (!state) throw new RunNotFoundError(`the runner does not know run ${runId} (it may have restarted)`);
      let next = afterId;
      while (!signal?.aborted) {
        while (next < state.events.length) {
          const tracked = state.events[next++] as TrackedRunnerEvent;
          yield tracked;
        }
        if (state.done) return;
        await new Promise<void>((resolve) => {
          const wake = () => {
            state.wake.delete(wake);
            signal?.removeEventListener('abort', wake);
            resolve();
          };
          state.wake.add(wake);
          signal?.addEventListener('abort', wake, { once: true });
        });
      }
    },
    /** Stops a run: its process tree is killed and it ends with outcome "canceled". */
    cancel(runId: string, reason = 'canceled'): boolean {
      const state = runs.get(runId);
      if (!state || state.done) return false;
      state.cancelReason ??= reason;
      state.abort.abort(new Error(reason));
      return true;
    },
    async health(): Promise<RunnerHealth> {
      return {
        ok: true,
        version: options.version ?? '0.0.0',
        codexVersion: await codexVersion().catch(() => null),
        modelMode: options.codex.mode,
        activeRuns: [...runs.values()].filter((s) => !s.done).length,
      };
    },
    /** Cancels every active run and waits for them to end. */
    async close(): Promise<void> {
      const active = [...runs.values()].filter((s) => !s.done);
      for (const state of active) {
        state.cancelReason ??= 'canceled: runner stopped';
        state.abort.abort(new Error('runner stopped'));
      }
      await Promise.all(
        active.map(
          (state) =>
            new Promise<void>((resolve) => {
              if (state.done) return resolve();
              const wake = () => state.done && resolve();
              state.wake.add(wake);
            }),
        ),
      );
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;

function describeError(error: unknown): string {
  if (error instanceof OpenAI.APIError) {
    return `the agent model failed: ${error.status ? `HTTP ${error.status} ` : ''}${error.message}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The project's verify command, in the workspace, recorded as a command step. */
async function verify(
  command: string,
  cwd: string,
  signal: AbortSignal,
  step: (draft: StepDraft) => void,
  log: (level: 'info' | 'warn' | 'error', source: 'verify', message: string) => void,
): Promise<string | null> {
  const startedAt = Date.now();
  const child = execa('bash', ['-c', command], {
    cwd,
    all: true,
    reject: false,
    stdin: 'ignore',
    maxBuffer: 16 * 1024 * 1024,
  });
  const stop = () => child.pid && void killTree(child.pid);
  signal.addEventListener('abort', stop, { once: true });
  const run = await child;
  signal.removeEventListener('abort', stop);
  const output = String(run.all ?? '');
  const shown =
    output.length > VERIFY_OUTPUT_LIMIT
      ? `${output.slice(0, VERIFY_OUTPUT_LIMIT)}\n[… output cut by Retrace]`
      : output;
  const ok = run.exitCode === 0;
  step({
    kind: 'command',
    instruction: command,
    outcomeOk: ok,
    payload: { verify: true, exit_code: run.exitCode ?? null, aggregated_output: shown },
    startedAt,
    finishedAt: Date.now(),
  });
  if (!ok) log('warn', 'verify', `verify command failed (exit ${run.exitCode ?? run.signal}): ${command}`);
  return ok ? null : `verify command \`${command}\` failed with exit code ${run.exitCode ?? run.signal}`;
}
