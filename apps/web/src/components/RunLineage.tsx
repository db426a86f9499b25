import type { RunListItem } from '@retrace/api';
import { Fragment } from 'react';
import { RunRef } from './RunRef';

type LineageRun = Pick<RunListItem, 'learnFromRunId' | 'fromRunId' | 'retryOfRunId'>;

const LINKS = [
  { field: 'learnFromRunId', label: 'learned from' },
  { field: 'fromRunId', label: 'continued from' },
  { field: 'retryOfRunId', label: 'retry of' },
] as const;

/** The runs a run came from, by number: the one it learned from, continued, and retried. */
export function RunLineage({
  run,
  numbers,
  badges = false,
}: {
  run: LineageRun;
  /** Run numbers already at hand (a list's), by id: those need no lookup. */
  numbers?: ReadonlyMap<string, number>;
  /** As badges in a list; otherwise as a sentence, " · " between the parts. */
  badges?: boolean;
}) {
  const links = LINKS.flatMap(({ field, label }) => {
    const id = run[field];
    return id ? [{ id, label }] : [];
  });
  if (links.length === 0) return null;
  return (
    <span className={badges ? 'lineage lineage-badges' : 'lineage'}>
      {links.map(({ id, label }, i) => (
        <Fragment key={label}>
          {!badges && i > 0 && ' · '}
          <span className={badges ? `badge lineage-${label.split(' ')[0]}` : undefined}>
            {label} <RunRef id={id} number={numbers?.get(id)} />
          </span>
        </Fragment>
      ))}
    </span>
  );
}
