import type { Run } from '@retrace/api';
import { Link } from 'react-router';
import type { RunUsage } from '../hooks/useRunEvents';
import { RunLineage } from './RunLineage';
import { RunOutcome } from './RunOutcome';
import { RunTiming } from './RunTiming';

/** A run's title and outcome, its time and tokens, and the runs and experiment it came from. */
export function RunHeader({ run, liveUsage }: { run: Run; liveUsage: RunUsage | null }) {
  const cameFrom = Boolean(run.learnFromRunId || run.fromRunId || run.retryOfRunId);
  return (
    <div className="run-header">
      <h1>
        Run #{run.number} <RunOutcome run={run} />
      </h1>
      <p className="muted small">
        <RunTiming run={run} liveUsage={liveUsage} /> · {run.profile}
      </p>
      {(cameFrom || run.experimentId) && (
        <p className="muted small">
          <RunLineage run={run} />
          {run.experimentId && (
            <>
              {cameFrom && ' · '}
              an attempt of arm “{run.experimentArm}” in{' '}
              <Link to={`/experiments/${run.experimentId}`}>an experiment</Link>
            </>
          )}
        </p>
      )}
    </div>
  );
}
