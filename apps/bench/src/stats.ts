export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** One line of the report: a figure against a baseline measured in the same run. */
export interface Figure {
  benchmark: string;
  metric: string;
  unit: string;
  value: Spread;
  baseline: { label: string; value: Spread } | null;
  /** value ÷ baseline (medians). */
  ratio: number | null;
  target: string | null;
  met: boolean | null;
  note?: string;
}

export function figure(
  benchmark: string,
  metric: string,
  unit: string,
  value: Spread,
  baseline: { label: string; value: Spread } | null,
  target: { text: string; met: (value: Spread, ratio: number | null) => boolean } | null = null,
  note?: string,
): Figure {
  const ratio = baseline && baseline.value.median !== 0 ? value.median / baseline.value.median : null;
  return {
    benchmark,
    metric,
    unit,
    value,
    baseline,
    ratio,
    target: target?.text ?? null,
    met: target ? target.met(value, ratio) : null,
    ...(note ? { note } : {}),
  };
}

/**
 * Runs a measurement and its baseline in turns, so a slow spell of this shared machine
 * lands on both rather than on one of them.
 */
export async function alternate<A, B>(
  times: number,
  measured: () => Promise<A>,
  baseline: () => Promise<B>,
): Promise<{ measured: A[]; baseline: B[] }> {
  const out = { measured: [] as A[], baseline: [] as B[] };
  for (let i = 0; i < times; i++) {
    out.measured.push(await measured());
    out.baseline.push(await baseline());
  }
  return out;
}

export async function repeat<T>(times: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await task(i));
  return results;
}
