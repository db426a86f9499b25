import type { Run } from '@retrace/api';
import { Link } from 'react-router';
import { LearnReasonNote } from './LearnReasonNote';
import { PatternDetails } from './PatternDetails';
import { RunRef } from './RunRef';

/** What was injected into this run, where it came from, and why (or why nothing was). */
export function PatternSummary({
  run,
}: {
  run: Pick<Run, 'pattern' | 'patternId' | 'learnFromRunId' | 'learnReason'>;
}) {
  if (!run.pattern && !run.learnReason) return null;
  return (
    <section className="panel" aria-labelledby="pattern-title">
      <h2 id="pattern-title">
        {!run.pattern ? (
          'Learned from nothing'
        ) : (
          <>
            Learned from{' '}
            {run.learnFromRunId ? (
              <RunRef id={run.learnFromRunId} />
            ) : (
              <span className="muted">a run since deleted</span>
            )}
          </>
        )}
      </h2>
      {run.learnReason && <LearnReasonNote reason={run.learnReason} />}
      {run.patternId && (
        <p className="small">
          <Link to={`/patterns/${run.patternId}`}>Its page</Link>: the pattern’s record and every run given
          it.
        </p>
      )}
      {run.pattern && <PatternDetails pattern={run.pattern} />}
    </section>
  );
}
