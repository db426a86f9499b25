import { addFilePatch, deleteFilePatch, replacePatch } from './patch';
import { type Action, PLAN_LANGUAGE, parsePlan } from './plan';
import { replayActions } from './replay';

/** One item of a Responses API `input`, as Codex sends it. */
export interface InputItem {
  type?: string;
  role?: string;
  content?: unknown;
  name?: string;
  arguments?: string;
  input?: string;
  output?: unknown;
  call_id?: string;
}

export type CodexReply =
  | { kind: 'exec'; command: string }
  /** Wait for a command Codex stopped waiting for (it answers "Process running with session ID N"). */
  | { kind: 'poll'; sessionId: number }
  | { kind: 'patch'; patch: string }
  | { kind: 'message'; text: string }
  | { kind: 'fail'; message: string; explanation?: string };

/** A tool call the plan needs, in order; an edit needs two (read the file, then patch it). */
type Call =
  | { kind: 'exec'; command: string; done: string }
  | { kind: 'patch'; build: (lastOutput: string) => { patch: string } | { error: string }; done: string }
  | { kind: 'fail'; reason: string };

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : ((part as { text?: string })?.text ?? '')))
      .join('');
  }
  return '';
}

/** Codex's tool for a running command's session: with no input it waits for more output or the exit. */
export const POLL_TOOL = 'write_stdin';

const NOT_THE_PROMPT = /^(# AGENTS\.md instructions|<environment_context>|<user_instructions>)/;

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Codex's exec output: "…Process exited with code N\n…Output:\n<text>". */
export function commandOutput(output: string): { exitCode: number | null; text: string } {
  const code = /Process exited with code (-?\d+)/.exec(output);
  const marker = output.indexOf('Output:\n');
  return { exitCode: code ? Number(code[1]) : null, text: marker === -1 ? output : output.slice(marker + 8) };
}

function callsFor(action: Action): Call[] {
  switch (action.type) {
    case 'run':
      return [{ kind: 'exec', command: action.command, done: `ran \`${action.command}\`` }];
    case 'create':
      return [
        {
          kind: 'patch',
          build: () => ({ patch: addFilePatch(action.path, action.content) }),
          done: `created ${action.path}`,
        },
      ];
    case 'delete':
      return [
        {
          kind: 'patch',
          build: () => ({ patch: deleteFilePatch(action.path) }),
          done: `deleted ${action.path}`,
        },
      ];
    case 'edit':
      return [
        { kind: 'exec', command: `cat -- ${shellQuote(action.path)}`, done: `read ${action.path}` },
        {
          kind: 'patch',
          build: (lastOutput) => {
            const patch = replacePatch(action.path, commandOutput(lastOutput).text, action.old, action.new);
            return patch
              ? { patch }
              : { error: `${action.path} does not contain ${JSON.stringify(action.old)}` };
          },
          done: `edited ${action.path}`,
        },
      ];
    case 'fail':
      return [{ kind: 'fail', reason: action.reason }];
  }
}

/** Did the tool call the model made last work? Null when it did. */
function failureOf(call: Call | undefined, output: string): string | null {
  if (!call || call.kind === 'fail') return null;
  if (call.kind === 'exec') {
    const { exitCode, text } = commandOutput(output);
    if (exitCode === 0) return null;
    const tail = text.trim().split('\n').slice(-5).join('\n');
    return `command \`${call.command}\` exited with code ${exitCode ?? 'unknown'}${tail ? `: ${tail}` : ''}`;
  }
  if (/Success\. Updated the following files/.test(output)) return null;
  return `the patch (${call.done}) failed: ${output.trim().split('\n').slice(-3).join(' ')}`;
}

/**
 * The Codex model's next move in a turn: Codex resends the whole turn with each request,
 * so the plan, the calls made so far and the last tool output decide it.
 */
export function codexReply(input: InputItem[], instructions = ''): CodexReply {
  const promptIndex = input.findLastIndex(
    (item) =>
      item.role === 'user' &&
      (item.type === undefined || item.type === 'message') &&
      !NOT_THE_PROMPT.test(textOf(item.content).trimStart()),
  );
  const prompt = promptIndex === -1 ? '' : textOf(input[promptIndex]?.content);
  const context = [
    instructions,
    ...input
      .filter((item) => item.role === 'developer' || item.role === 'system')
      .map((item) => textOf(item.content)),
  ].join('\n');

  const plan = parsePlan(prompt);
  let actions: Action[];
  let pitfalls: string[] = [];
  if (plan.kind === 'not_understood') {
    const explanation = `This is Retrace's offline model, a simulator that follows written plans, not an LLM. It could not follow this prompt (${plan.reason}). Write one instruction per line:\n${PLAN_LANGUAGE}`;
    return { kind: 'fail', message: `offline model: ${plan.reason}`, explanation };
  }
  if (plan.kind === 'replay') {
    const replay = replayActions(context, plan.replacements);
    if (!replay.ok) return { kind: 'fail', message: `offline model: ${replay.reason}` };
    ({ actions, pitfalls } = replay);
  } else {
    actions = plan.actions;
  }

  const calls = actions.flatMap(callsFor);
  const turn = input.slice(promptIndex + 1);
  const made = turn.filter(
    (item) => (item.type === 'function_call' && item.name !== POLL_TOOL) || item.type === 'custom_tool_call',
  ).length;
  const outputs = turn.filter(
    (item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output',
  );
  const lastOutput = textOf(outputs.at(-1)?.output ?? '');
  // A command longer than Codex waits for (10 s) is still running: wait on, as a person would.
  const running = /Process running with session ID (\d+)/.exec(lastOutput);
  if (running) return { kind: 'poll', sessionId: Number(running[1]) };
  if (made > 0) {
    const failure = failureOf(calls[made - 1], lastOutput);
    if (failure) return { kind: 'fail', message: failure };
  }
  const next = calls[made];
  if (!next) {
    const done = calls
      .flatMap((c) => (c.kind === 'fail' ? [] : [c.done]))
      .filter((d) => !d.startsWith('read '));
    // A long plan is summed up, not recited.
    const shown = done.length > 8 ? [...done.slice(0, 7), `and ${done.length - 7} more`] : done;
    // A simulator heeds nothing: it passes the warnings on, and does the steps all the same.
    const warned = pitfalls.length > 0 ? ` The workflow warns of: ${pitfalls.join('; ')}` : '';
    return { kind: 'message', text: `Done: ${shown.join('; ')}.${warned}` };
  }
  if (next.kind === 'fail') return { kind: 'fail', message: next.reason };
  if (next.kind === 'exec') return { kind: 'exec', command: next.command };
  const built = next.build(lastOutput);
  return 'error' in built ? { kind: 'fail', message: built.error } : { kind: 'patch', patch: built.patch };
}
