import type { Run } from '@retrace/api';
import { useNow } from '../hooks/useNow';
import type { RunUsage } from '../hooks/useRunEvents';
import { formatDuration, formatElapsed, formatTime, formatTokens } from '../lib/format';

type TimedRun = Pick<Run, 'status' | 'createdAt' | 'startedAt' | 'durationMs' | 'usage'>;

/** How long a running run has run, read again every second. */
function Elapsed({ since }: { since: number }) {
  const now = useNow(1000);
  return (
    <span role="timer" aria-label="Time running">
      {formatElapsed(now - since)}
    </span>
  );
}

/**
 * When the run started, how long it took and the tokens it spent: while it runs, a ticking
 * clock and the tokens so far (from its live events, else as last read), never a bare "–".
 */
export function RunTiming({ run, liveUsage }: { run: TimedRun; liveUsage: RunUsage | null }) {
  if (run.status === 'queued') return <>queued {formatTime(run.createdAt)} · waiting to start</>;
  if (run.status !== 'running')
    return (
      <>
        {formatTime(run.startedAt ?? run.createdAt)} · {formatDuration(run.durationMs)} ·{' '}
        {formatTokens(run.usage)} tokens
      </>
    );
  if (run.startedAt === null) return <>starting…</>;
  const usage = liveUsage ?? run.usage;
  return (
    <>
      started {formatTime(run.startedAt)} · running for <Elapsed since={run.startedAt} /> ·{' '}
      {usage ? `${formatTokens(usage)} tokens so far` : 'no tokens yet'}
    </>
  );
}
