import type { RouterOutputs } from '@retrace/api';

type PatternRecord = RouterOutputs['patterns']['get']['record'];

const COUNTS: Array<[keyof PatternRecord, string]> = [
  ['injected', 'injected'],
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['verified', 'verified'],
  ['approved', 'approved'],
  ['rejected', 'rejected'],
];

/** A pattern's record as figures: how many runs were given it, and what came of them. */
export function RecordCounts({ record }: { record: PatternRecord }) {
  return (
    <dl className="figures">
      {COUNTS.map(([key, label]) => (
        <div key={key} className={`figure figure-${key}`}>
          <dt>{label}</dt>
          <dd>{record[key]}</dd>
        </div>
      ))}
    </dl>
  );
}
