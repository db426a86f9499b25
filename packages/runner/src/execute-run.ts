import { mkdir, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  Profile,
  RunInstructions,
  RunResult,
  RunUsage,
  StepDraft,
  WorkspaceDiff,
} from '@retrace/protocol';
import OpenAI from 'openai';
import { agentInstructions, codexDeveloperInstructions } from './agent/instructions';
import { runAgentLoop, type ToolResult } from './agent/loop';
import { codexExec } from './codex/exec';
import { createFileChangeDescriber } from './codex/file-changes';
import type { RunnerModels } from './models';
import { emit, markDone, type RunState } from './run-state';
import { hiddenPaths } from './sandbox/hidden';
import type { SandboxSpec } from './sandbox/permissions';
import { verify } from './verify';
import { type DiffLimits, diffTrees, prepareWorkspace, snapshotTree } from './workspace/index';

/** What every run of one runner shares. */
export interface RunContext {
  dataDir: string;
  models: RunnerModels;
  agentClient: OpenAI;
  codexHome: string;
  processRegistry: string;
  /** Begins every process tag of this runner: its watchdog ends what carries it if the runner is killed. */
  tagPrefix: string;
  /** Resolves once Codex can start (orphans reaped, CODEX_HOME ready), with the model catalog's path. */
  codexReady: () => Promise<string | null>;
  /** What Codex and the verify command start from, free of Retrace's secrets. */
  environment: Record<string, string>;
  /** More paths no command may read (the server's runtime file, say). */
  hiddenPaths: string[];
  codexBinary?: string | undefined;
  timeoutMs: (profile: Profile) => number;
  maxTurns: number;
  diffLimits: DiffLimits;
}

type Outcome = Pick<RunResult, 'ok' | 'outcome' | 'summary' | 'error'>;

/** What the run has gathered so far, for its result whatever way it ends. */
interface Tally {
  workspacePath: string;
  diff: WorkspaceDiff | null;
  usage: RunUsage;
  filesTouched: Set<string>;
  lastMessage: string | null;
  verified: boolean | null;
  turns: number;
}

function addUsage(into: RunUsage, more: RunUsage): void {
  into.inputTokens += more.inputTokens;
  into.cachedInputTokens += more.cachedInputTokens;
  into.outputTokens += more.outputTokens;
}

function describeError(error: unknown): string {
  if (error instanceof OpenAI.APIError) {
    return `the agent model failed: ${error.status ? `HTTP ${error.status} ` : ''}${error.message}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Why a finished agent loop did not do the task, or null when it did. */
function loopError(loop: Awaited<ReturnType<typeof runAgentLoop>>, maxTurns: number): string | null {
  if (!loop.finished)
    return `the agent was still calling tools after ${maxTurns} turn${maxTurns === 1 ? '' : 's'}`;
  if (!loop.lastTool) return 'the agent answered without running Codex';
  if (!loop.lastTool.ok) return loop.lastTool.error ?? 'Codex did not finish the task';
  return null;
}

/**
 * Runs one run to its end: prepares the workspace, runs the agent loop with Codex as its
 * tool, then the verify command, and emits everything that happens, the result last.
 */
export async function executeRun(state: RunState, ctx: RunContext): Promise<void> {
  const { input } = state;
  const timeout = ctx.timeoutMs(input.context.profile);
  // A timer of our own: AbortSignal.timeout() inside AbortSignal.any() can be garbage
  // collected before it fires, and the run would never time out.
  const timeoutController = new AbortController();
  const timer = setTimeout(() => timeoutController.abort(new Error('timeout')), timeout);
  const signal = AbortSignal.any([state.abort.signal, timeoutController.signal]);
  let seq = 0;
  const step = (draft: StepDraft) => emit(state, { type: 'step', step: { seq: ++seq, ...draft } });
  const tally: Tally = {
    workspacePath: '',
    diff: null,
    usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
    filesTouched: new Set(),
    lastMessage: null,
    verified: null,
    turns: 0,
  };
  const finish = (outcome: Outcome) => {
    for (const file of tally.diff?.files ?? []) tally.filesTouched.add(file.path);
    const { workspacePath, diff, usage, lastMessage, verified, turns } = tally;
    const filesTouched = [...tally.filesTouched];
    emit(state, {
      type: 'result',
      result: { ...outcome, usage, workspacePath, diff, filesTouched, lastMessage, verified, turns },
    });
  };

  try {
    finish(await runSteps(state, ctx, { signal, step, tally }));
  } catch (error) {
    if (state.abort.signal.aborted) {
      finish({ ok: false, outcome: 'canceled', summary: '', error: state.cancelReason ?? 'canceled' });
    } else {
      const timedOut = signal.aborted;
      const message = timedOut ? `timed out after ${Math.round(timeout / 1000)} s` : describeError(error);
      emit(state, { type: 'log', level: 'error', source: 'runner', message });
      finish({ ok: false, outcome: 'failed', summary: '', error: message });
    }
  } finally {
    clearTimeout(timer);
    await rm(runTmpDir(ctx, input.runId), { recursive: true, force: true }).catch(() => undefined);
    markDone(state);
  }
}

/** The run's own TMPDIR: /tmp is not writable inside the sandbox. Removed when the run ends. */
function runTmpDir(ctx: RunContext, runId: string): string {
  return join(ctx.dataDir, 'tmp', runId);
}

/** The sandbox of the run's commands, verify included. */
async function sandboxFor(state: RunState, ctx: RunContext, workspace: string): Promise<SandboxSpec> {
  const { profile } = state.input.context;
  const tmpDir = runTmpDir(ctx, state.input.runId);
  await mkdir(tmpDir, { recursive: true });
  // Worked out on real paths: a workspace given as one (the seed route's) is still inside.
  const hidden = await hiddenPaths(
    await realpath(ctx.dataDir),
    await realpath(workspace),
    profile === 'batch',
  );
  return {
    profile,
    fullAccess: state.input.fullAccess,
    workspace,
    tmpDir,
    hidden: [...hidden, ...ctx.hiddenPaths],
  };
}

interface StepsContext {
  signal: AbortSignal;
  step: (draft: StepDraft) => void;
  tally: Tally;
}

/** The run's work, in order; throws when it is canceled, times out or cannot go on. */
async function runSteps(
  state: RunState,
  ctx: RunContext,
  { signal, step, tally }: StepsContext,
): Promise<Outcome> {
  const { input } = state;
  // The commit the run starts from: its diff and its branch are against it.
  const {
    path: workspacePath,
    base: { commit: baseCommit, tree: baseTree },
  } = await prepareWorkspace({
    dataDir: ctx.dataDir,
    projectId: input.projectId,
    runId: input.runId,
    request: input.workspace,
  });
  tally.workspacePath = workspacePath;
  emit(state, { type: 'status', status: 'preparing', workspacePath, baseCommit });
  // The tree the last diff was of: a workspace that has not changed since is not diffed again.
  let diffedTree = baseTree;
  const refreshDiff = async () => {
    const tree = await snapshotTree(workspacePath);
    if (tree === diffedTree && tally.diff !== null) return;
    tally.diff = await diffTrees(workspacePath, baseTree, tree, ctx.diffLimits);
    diffedTree = tree;
    emit(state, { type: 'diff', diff: tally.diff });
  };
  const catalogPath = await ctx.codexReady();
  const sandbox = await sandboxFor(state, ctx, workspacePath);
  emit(state, { type: 'status', status: 'running', workspacePath });

  // Composed once, reported, then sent exactly so: the run's record is what the models got.
  const instructions: RunInstructions = {
    system: agentInstructions(input.context, workspacePath),
    codex: codexDeveloperInstructions(input.context),
  };
  emit(state, { type: 'instructions', instructions });

  const describer = createFileChangeDescriber(workspacePath, baseTree);
  // The tokens spent so far, after each agent turn and each Codex turn: a running run shows them.
  const reportUsage = () => emit(state, { type: 'usage', usage: { ...tally.usage } });
  let codexCalls = 0;
  const runTool = async (task: string): Promise<ToolResult> => {
    let exec: Awaited<ReturnType<typeof codexExec>>;
    try {
      exec = await codexExec({
        instructions: task,
        sandbox,
        models: ctx.models,
        codexHome: ctx.codexHome,
        catalogPath,
        developerInstructions: instructions.codex ?? undefined,
        env: ctx.environment,
        describer,
        signal,
        processRegistry: ctx.processRegistry,
        ...(ctx.codexBinary ? { binary: ctx.codexBinary } : {}),
        processName: `${ctx.tagPrefix}-${input.runId}-${++codexCalls}`,
        onLine: (line) => emit(state, { type: 'codex_line', line }),
        onStep: step,
        onActivity: (activity) => emit(state, { type: 'activity', activity }),
        onLog: (level, message) => emit(state, { type: 'log', level, source: 'codex', message }),
        onFileChange: refreshDiff,
      });
    } catch (error) {
      // Codex could not run at all: the agent (and the transcript) hear why.
      if (signal.aborted) throw error;
      return { ok: false, summary: '', filesTouched: [], error: describeError(error) };
    }
    addUsage(tally.usage, exec.usage);
    reportUsage();
    for (const file of exec.filesTouched) tally.filesTouched.add(file);
    if (exec.lastMessage) tally.lastMessage = exec.lastMessage;
    // Cut off: the run ends here, its last step the command that was running.
    if (signal.aborted) throw signal.reason;
    return {
      ok: exec.ok,
      summary: exec.lastMessage ?? '',
      filesTouched: exec.filesTouched,
      error: exec.error,
    };
  };

  const loop = await runAgentLoop({
    client: ctx.agentClient,
    model: ctx.models.agent.model,
    system: instructions.system,
    history: input.messages,
    prompt: input.prompt,
    maxTurns: ctx.maxTurns,
    signal,
    runTool,
    onStep: async (draft) => step(draft),
    onTurn: (usage) => {
      addUsage(tally.usage, usage);
      tally.turns += 1;
      reportUsage();
    },
  });
  // The loop's usage is in the tally already, turn by turn.
  tally.turns = loop.turns;
  await refreshDiff();

  let error = loopError(loop, ctx.maxTurns);
  if (error === null && input.verifyCommand) {
    emit(state, { type: 'status', status: 'verifying', workspacePath });
    error = await verify({
      command: input.verifyCommand,
      sandbox,
      env: ctx.environment,
      codexHome: ctx.codexHome,
      codexBinary: ctx.codexBinary,
      processRegistry: ctx.processRegistry,
      processName: `${ctx.tagPrefix}-${input.runId}-verify`,
      signal,
      step,
      warn: (message) => emit(state, { type: 'log', level: 'warn', source: 'verify', message }),
    });
    tally.verified = error === null;
    await refreshDiff();
  }
  if (signal.aborted) throw signal.reason;
  return {
    ok: error === null,
    outcome: error === null ? 'succeeded' : 'failed',
    summary: loop.summary,
    error,
  };
}
