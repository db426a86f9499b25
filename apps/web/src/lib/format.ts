import type { RouterOutputs } from '@retrace/api';

type ArmOutcome = Pick<
  RouterOutputs['experiments']['get']['arms'][number],
  'succeeded' | 'failed' | 'successRate' | 'interval'
>;

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When something happened, as short as it can be read: the time today, "yesterday" and the
 * time, the month and day this year, the full date before. A tab kept open all day crosses
 * midnight: "10:02" alone would then mean the wrong day.
 */
/** A clock's reading, in whole seconds: "8 s", "2 min 05 s", "1 h 02 min". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function formatTime(ms: number | null | undefined, now: number = Date.now()): string {
  if (!ms) return '–';
  const date = new Date(ms);
  const today = new Date(now);
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === today.toDateString()) return date.toLocaleTimeString();
  if (date.toDateString() === new Date(now - DAY_MS).toDateString()) return `yesterday ${time}`;
  const sameYear = date.getFullYear() === today.getFullYear();
  const day = date.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
  return `${day}, ${time}`;
}

/** The full date and time, for a title on a short one. */
export function formatFullTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'medium' });
}

export function formatTokens(
  usage: { inputTokens: number; outputTokens: number } | null | undefined,
): string {
  return usage ? formatTokenCount(usage.inputTokens + usage.outputTokens) : '–';
}

export function formatTokenCount(total: number | null | undefined): string {
  if (total === null || total === undefined) return '–';
  return Math.abs(total) >= 10_000 ? `${(total / 1000).toFixed(1)}k` : String(Math.round(total));
}

export function formatPercent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** "3/3 · 100% (44%–100%)": successes over ended attempts, the rate, and its 95% interval. */
export function formatSuccessRate(result: ArmOutcome): string {
  if (result.successRate === null) return 'none ended yet';
  const [low, high] = result.interval;
  return `${result.succeeded}/${result.succeeded + result.failed} · ${formatPercent(result.successRate)} (${formatPercent(low)}–${formatPercent(high)})`;
}

/** "+2", "−1.5", "±0": a difference from the baseline, signed. */
export function formatDelta(value: number, format: (n: number) => string = String): string {
  if (value === 0) return '±0';
  return value > 0 ? `+${format(value)}` : `−${format(-value)}`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
