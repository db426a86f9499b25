import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RunActivity, RunUsage, StepDraft } from '@retrace/protocol';
import { execa } from 'execa';
import type { z } from 'zod';
import type { RunnerModels } from '../models';
import type { SandboxSpec } from '../sandbox/permissions';
import { codexBinary } from './binary';
import { unwrapCommand } from './command';
import { codexArgs } from './config';
import { commandItem, parseItem, parseLine } from './events';
import type { createFileChangeDescriber } from './file-changes';
import { jsonlLines } from './jsonl-lines';
import { createProcessWatch, killTree } from './process-tree';
import { canceledCommandStep, stepFromItem } from './steps';

export interface CodexExecOptions {
  instructions: string;
  sandbox: SandboxSpec;
  models: RunnerModels;
  codexHome: string;
  catalogPath: string | null;
  developerInstructions?: string | undefined;
  /** The environment Codex starts with, already free of Retrace's secrets. */
  env: Record<string, string>;
  describer: ReturnType<typeof createFileChangeDescriber>;
  signal: AbortSignal;
  /** Every stdout line, as read. */
  onLine: (line: string) => void | Promise<void>;
  onStep: (step: StepDraft) => void | Promise<void>;
  /** A command still running after a second: it becomes a step once it ends, maybe minutes later. */
  onActivity?: (activity: RunActivity) => void | Promise<void>;
  onLog: (level: 'info' | 'warn' | 'error', message: string) => void | Promise<void>;
  /** After each file change (to compute the diff). */
  onFileChange?: () => void | Promise<void>;
  /** The program to run instead of the Codex binary (tests replaying recorded JSONL). */
  binary?: string;
  /** Where the processes of running Codex invocations are recorded, to end them after a crash. */
  processRegistry?: string;
  /** A name for this invocation in the registry. */
  processName?: string;
}

export interface CodexExecResult {
  ok: boolean;
  error: string | null;
  lastMessage: string | null;
  usage: RunUsage;
  filesTouched: string[];
}

/**
 * A command still running after this long is announced as the run's activity: most end
 * sooner, and a finished run's history is not worth an event for each of them.
 */
const ACTIVITY_AFTER_MS = 1000;

/**
 * A key for a finished item's content: Codex re-emits finished items with new ids when it
 * retries. The line as printed, less its id, digested: a long run does not keep every
 * command's output in memory a second time, nor serialise it again.
 */
function contentKey(line: string, id: string): string {
  const idField = `"id":${JSON.stringify(id)}`;
  const at = line.indexOf(idField);
  const hash = createHash('sha1');
  // The text on either side of the id, hashed in turn: no copy of the line without it.
  if (at === -1) hash.update(line);
  else hash.update(line.slice(0, at)).update(line.slice(at + idField.length));
  return hash.digest('base64');
}

/**
 * Runs `codex exec --json` once in the workspace: stdin ignored, each JSONL line parsed (an
 * unknown type is kept raw, a malformed line is logged), items turned into steps as they
 * complete, stderr kept as log lines. On abort the whole process tree is killed.
 */
export async function codexExec(options: CodexExecOptions): Promise<CodexExecResult> {
  const workspace = options.sandbox.workspace;
  const args = codexArgs({
    prompt: options.instructions,
    sandbox: options.sandbox,
    models: options.models,
    catalogPath: options.catalogPath,
    developerInstructions: options.developerInstructions,
  });
  // Everything Codex starts inherits a tag, so it can be found and ended even once orphaned.
  const watch = createProcessWatch(
    options.processRegistry ?? null,
    options.processName ?? `codex-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    options.sandbox.tmpDir,
  );
  const binary = options.binary ?? codexBinary();
  if (!existsSync(binary)) throw new Error(`the Codex binary is missing at ${binary} (run npm ci)`);
  const child = execa(binary, args, {
    cwd: workspace,
    stdin: 'ignore',
    reject: false,
    buffer: false,
    // Only what is given here: nothing of this process's own environment leaks through.
    extendEnv: false,
    env: {
      ...options.env,
      CODEX_HOME: options.codexHome,
      TMPDIR: options.sandbox.tmpDir,
      // The provider's env_key: Codex reads its model's key from here and keeps it from commands.
      ...(options.models.codex.apiKey ? { OPENAI_API_KEY: options.models.codex.apiKey } : {}),
      ...watch.env,
    },
  });
  // Attached before any await: a quick Codex may have written everything and exited by then.
  const stdoutIterator = jsonlLines(child.stdout as NodeJS.ReadableStream);
  const stderrLines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
  // The iterator too: lines a readline interface emits before its iterator exists are lost.
  const stderrIterator = stderrLines[Symbol.asyncIterator]();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  if (child.pid) await watch.start(child.pid);
  // The kill is awaited before the result: a canceled run ends with nothing of it alive.
  let killing: Promise<void> = Promise.resolve();
  const onAbort = () => {
    if (child.pid) killing = killTree(child.pid);
  };
  // A command Codex left running (when it was killed, say) holds its output pipes open:
  // once Codex exits, end what it started, so the pipes close and every line is read.
  const stopped = exited.then(() => watch.stop());
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) onAbort();

  const stderr = (async () => {
    for await (const line of { [Symbol.asyncIterator]: () => stderrIterator }) {
      if (line.trim() === '' || line.startsWith('Reading additional input from stdin')) continue;
      await options.onLog(/\bERROR\b/.test(line) ? 'error' : 'warn', line);
    }
  })();

  const result: CodexExecResult = {
    ok: false,
    error: null,
    lastMessage: null,
    usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
    filesTouched: [],
  };
  const startedAt = new Map<string, number>();
  const pendingActivity = new Map<string, ReturnType<typeof setTimeout>>();
  // Commands started and not finished: what a cancel cuts off becomes a canceled step.
  const runningCommands = new Map<string, z.infer<typeof commandItem>>();
  const completed: string[] = [];
  const replayed = new Map<string, number>();
  let ended = false;

  for await (const line of stdoutIterator) {
    if (line.trim() === '') continue;
    await options.onLine(line);
    const parsed = parseLine(line);
    if (parsed.kind === 'malformed') {
      await options.onLog(
        'warn',
        `codex printed a line that is not JSON (${parsed.error}): ${line.slice(0, 200)}`,
      );
      continue;
    }
    if (parsed.kind === 'unknown') {
      await options.onLog('info', `codex event of an unknown type kept raw: ${line.slice(0, 200)}`);
      continue;
    }
    const event = parsed.event;
    switch (event.type) {
      case 'item.started': {
        const now = Date.now();
        startedAt.set(event.item.id, now);
        const command = commandItem.safeParse(event.item);
        if (command.success) runningCommands.set(command.data.id, command.data);
        if (command.success && options.onActivity) {
          const { id } = command.data;
          const announce = options.onActivity;
          const activity: RunActivity = {
            kind: 'command',
            text: unwrapCommand(command.data.command),
            startedAt: now,
          };
          pendingActivity.set(
            id,
            setTimeout(() => {
              pendingActivity.delete(id);
              void announce(activity);
            }, ACTIVITY_AFTER_MS),
          );
        }
        break;
      }
      case 'item.completed': {
        clearTimeout(pendingActivity.get(event.item.id));
        pendingActivity.delete(event.item.id);
        runningCommands.delete(event.item.id);
        const key = contentKey(line, event.item.id);
        const pending = replayed.get(key) ?? 0;
        if (pending > 0) {
          // The same item again after a retry: recorded once.
          replayed.set(key, pending - 1);
          break;
        }
        completed.push(key);
        const item = parseItem(event.item);
        if (!item) {
          await options.onLog('info', `codex item of an unknown type kept raw: ${event.item.type}`);
          break;
        }
        if (item.type === 'agent_message') result.lastMessage = item.text;
        if (item.type === 'file_change') {
          for (const change of item.changes)
            result.filesTouched.push(options.describer.relativePath(change.path));
        }
        const step = await stepFromItem(item, options.describer, startedAt.get(item.id) ?? Date.now());
        await options.onStep(step);
        if (item.type === 'file_change') await options.onFileChange?.();
        break;
      }
      case 'error':
        // "Reconnecting... n/5": Codex retries, and will re-emit the items it already finished.
        if (/^Reconnecting/.test(event.message)) {
          for (const key of completed) replayed.set(key, (replayed.get(key) ?? 0) + 1);
          // What the lost attempt had started, it will never finish.
          runningCommands.clear();
        }
        await options.onLog('warn', `codex: ${event.message}`);
        break;
      case 'turn.completed':
        ended = true;
        result.ok = true;
        result.usage = {
          inputTokens: event.usage?.input_tokens ?? 0,
          cachedInputTokens: event.usage?.cached_input_tokens ?? 0,
          outputTokens: event.usage?.output_tokens ?? 0,
        };
        break;
      case 'turn.failed':
        ended = true;
        result.ok = false;
        result.error = event.error.message;
        break;
      default:
        break;
    }
  }
  for (const timer of pendingActivity.values()) clearTimeout(timer);
  const exit = await child;
  await stderr;
  await stopped;
  options.signal.removeEventListener('abort', onAbort);
  await killing;
  if (options.signal.aborted) {
    for (const item of runningCommands.values())
      await options.onStep(canceledCommandStep(item, startedAt.get(item.id) ?? Date.now()));
    return { ...result, ok: false, error: 'canceled' };
  }
  if (!ended) {
    result.ok = false;
    result.error = `codex exited (${exit.exitCode ?? exit.signal ?? 'unknown'}) before finishing the turn`;
  }
  result.filesTouched = [...new Set(result.filesTouched)];
  return result;
}
