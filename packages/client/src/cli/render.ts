import type { Run, RunEvent, RunListItem, Step } from '@retrace/api';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const dim = paint(2);
export const bold = paint(1);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

const KIND_LABEL: Record<string, string> = {
  agent_message: 'message',
  reasoning: 'thinking',
  command: '$',
  file_change: 'file',
  tool_call: 'tool',
  web_search: 'search',
  todo_list: 'plan',
  error: 'error',
};

export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function statusText(status: string): string {
  if (status === 'succeeded') return green(status);
  if (status === 'failed') return red(status);
  if (status === 'canceled') return yellow(status);
  return cyan(status);
}

export function formatStep(step: Step): string {
  const label = KIND_LABEL[step.kind] ?? step.kind;
  const mark = step.outcomeOk ? green('✓') : red('✗');
  const exit = (step.payload as { exit_code?: number } | null)?.exit_code;
  const exitText =
    step.kind === 'command' && typeof exit === 'number' && exit !== 0 ? red(` (exit ${exit})`) : '';
  return `${dim(String(step.seq).padStart(4))} ${mark} ${bold(label.padEnd(7))} ${oneLine(step.instruction)}${exitText}`;
}

export function formatRunLine(run: RunListItem): string {
  const tokens = run.usage ? `${run.usage.inputTokens + run.usage.outputTokens} tok` : '';
  const learned = run.learnFromRunId ? dim(' (learned)') : '';
  return `#${String(run.number).padEnd(4)} ${statusText(run.status.padEnd(9))} ${formatDuration(run.durationMs).padStart(9)} ${tokens.padStart(10)}  ${oneLine(run.prompt, 70)}${learned}  ${dim(run.id)}`;
}

/** One line per live event worth showing while a run streams. */
export function formatEvent(event: RunEvent): string | null {
  switch (event.type) {
    case 'status':
      return event.phase
        ? dim(`· ${event.phase}…`)
        : `${bold('→')} ${statusText(event.status)}${event.error ? ` ${red(event.error)}` : ''}`;
    case 'step':
      return formatStep(event.step);
    case 'diff':
      return dim(
        `· diff: ${event.diff.files.length} file(s), ${green(`+${event.diff.additions}`)} ${red(`-${event.diff.deletions}`)}`,
      );
    case 'log':
      return event.level === 'info' ? null : dim(`· ${event.level}: ${oneLine(event.message)}`);
    case 'activity':
      return dim(`· running $ ${oneLine(event.activity.text)}…`);
    default:
      return null;
  }
}

type Reason = Run['learnReason'];

/** Why a run was given its pattern, or none: a person's pick, or Retrace's score and reasons. */
export function formatLearnReason(reason: Reason): string | null {
  if (!reason) return null;
  if (reason.by === 'person') return 'learned from a run a person picked';
  if (reason.picked) return `Retrace chose its pattern (score ${reason.score}): ${reason.reasons.join('; ')}`;
  return `Retrace chose no pattern: ${reason.reasons.join('; ')}`;
}

/** verified / unverified (no verify command) / not verified. */
export function formatVerified(run: Pick<Run, 'verified' | 'status'>): string {
  if (run.verified === true) return green('verified');
  if (run.status === 'succeeded') return dim('unverified (no verify command)');
  return run.status === 'queued' || run.status === 'running' ? '' : red('not verified');
}

type Lineage = Pick<Run, 'learnFromRunId' | 'fromRunId' | 'retryOfRunId' | 'pattern'>;

const learnedFrom = (run: Lineage) =>
  run.pattern?.sourceRunIds ?? (run.learnFromRunId ? [run.learnFromRunId] : []);

/** The ids of the runs a run came from: those it learned from, continued and retried. */
export function lineageIds(run: Lineage): string[] {
  return [...learnedFrom(run), run.fromRunId, run.retryOfRunId].filter((id): id is string => id !== null);
}

/** Where a run came from, by run number ("learned from: #1, #3"); `numbers` maps run ids to numbers. */
export function formatLineage(run: Lineage, numbers: ReadonlyMap<string, number>): string[] {
  const ref = (id: string) => (numbers.has(id) ? `#${numbers.get(id)}` : id);
  const learned = learnedFrom(run);
  return [
    learned.length > 0 ? `learned from: ${learned.map(ref).join(', ')}` : null,
    run.fromRunId ? `continued from: ${ref(run.fromRunId)}'s workspace` : null,
    run.retryOfRunId ? `retry of: ${ref(run.retryOfRunId)}` : null,
  ].filter((line) => line !== null);
}

const shortCommit = (commit: string) => commit.slice(0, 12);

/** The commit a run's workspace started from and the branch its change became, when it has them. */
export function formatGit(run: Pick<Run, 'baseCommit' | 'branch'>): string[] {
  const { baseCommit, branch } = run;
  const pushed = !branch?.remote
    ? ''
    : branch.pushedAt
      ? `, pushed to ${branch.remote}`
      : `, not pushed to ${branch.remote}`;
  return [
    baseCommit ? `base commit: ${shortCommit(baseCommit)}` : null,
    branch ? `branch: ${branch.name} at ${shortCommit(branch.commit)}${pushed}` : null,
  ].filter((line) => line !== null);
}
