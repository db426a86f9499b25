import type { Run } from '@retrace/api';
import { PatternDetails } from './PatternDetails';
import { RunRef } from './RunRef';

/** What was injected into this run, and where it came from. */
export function PatternSummary({ run }: { run: Pick<Run, 'pattern' | 'learnFromRunId'> }) {
  if (!run.pattern) return null;
  return (
    <section className="panel" aria-labelledby="pattern-title">
      <h2 id="pattern-title">
        Learned from{' '}
        {run.learnFromRunId ? (
          <RunRef id={run.learnFromRunId} />
        ) : (
          <span className="muted">a run since deleted</span>
        )}
      </h2>
      <PatternDetails pattern={run.pattern} />
    </section>
  );
}
