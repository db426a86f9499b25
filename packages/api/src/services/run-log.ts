import type { RunStatus } from '@retrace/db';
import { type RunnerEvent, type Step, stepStatus } from '@retrace/protocol';

/**
 * The run's own log (run.log): one line for each thing the run did, in order — its status
 * changes, each command as it starts, each step as it ends, the verify command's output, and
 * what Codex, the runner and the verify command warned of. Written as plain text, unredacted
 * here: the recorder redacts it on the way to the file.
 */

const indent = (text: string) => text.replace(/\n$/, '').replace(/^/gm, '    ');

/** One entry: a line that starts with its time, level and source; what follows a newline is indented under it. */
function line(at: number, level: string, source: string, message: string): string {
  const [first = '', ...rest] = message.trimEnd().split('\n');
  const more = rest.length > 0 ? `\n${indent(rest.join('\n'))}` : '';
  return `${new Date(at).toISOString()} ${level} [${source}] ${first}${more}\n`;
}

function seconds(step: Pick<Step, 'startedAt' | 'finishedAt'>): string {
  return step.finishedAt === null ? '' : ` (${((step.finishedAt - step.startedAt) / 1000).toFixed(1)} s)`;
}

function stepLines(step: Step): string {
  const status = stepStatus(step);
  const at = step.finishedAt ?? step.startedAt;
  const head = line(
    at,
    status === 'ok' ? 'info' : 'warn',
    'step',
    `#${step.seq} ${step.kind} ${status}${seconds(step)}: ${step.instruction}`,
  );
  const payload = step.payload as { verify?: unknown; aggregated_output?: unknown } | null | undefined;
  // The verify command's output decides the run: it belongs in the run's log.
  if (payload?.verify === true && typeof payload.aggregated_output === 'string' && payload.aggregated_output)
    return `${head}${indent(payload.aggregated_output)}\n`;
  return head;
}

/** The log lines a runner event adds, none for those that are no news (raw Codex lines, usage). */
export function runLogLines(event: RunnerEvent, now = Date.now()): string {
  switch (event.type) {
    case 'status':
      return line(
        now,
        'info',
        'run',
        {
          preparing: `preparing the workspace ${event.workspacePath}`,
          running: 'running the agent',
          verifying: 'running the verify command',
        }[event.status],
      );
    case 'activity':
      return line(event.activity.startedAt, 'info', 'step', `started: ${event.activity.text}`);
    case 'step':
      return stepLines(event.step);
    case 'diff':
      return line(
        now,
        'info',
        'run',
        `diff: ${event.diff.files.length} file(s), +${event.diff.additions} -${event.diff.deletions}`,
      );
    case 'log':
      return line(now, event.level, event.source, event.message);
    case 'instructions':
    case 'usage':
    case 'codex_line':
    case 'result':
      return '';
  }
}

/** The last line: how the run ended, and why when it did not succeed. */
export function runEndLine(status: RunStatus, error: string | null, now = Date.now()): string {
  return line(now, status === 'succeeded' ? 'info' : 'error', 'run', `${status}${error ? `: ${error}` : ''}`);
}
