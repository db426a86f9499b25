import type { RouterOutputs } from '@retrace/api';
import { Link } from 'react-router';
import { useReviewRun } from '../hooks/useReviewRun';
import { errorMessage } from '../lib/errors';
import {
  formatDelta,
  formatDuration,
  formatSuccessRate,
  formatTokenCount,
  formatTokens,
  oneLine,
} from '../lib/format';
import { RunOutcome } from './RunOutcome';
import { RunRef } from './RunRef';

type Experiment = RouterOutputs['experiments']['get'];
type Arm = Experiment['arms'][number];
type Attempt = Arm['runs'][number];

function LearnsFrom({ arm }: { arm: Arm }) {
  if (arm.autoLearn) return <>Retrace’s choice: the best pattern for the prompt, or none</>;
  if (!arm.learnFromRunIds) return <>No pattern</>;
  return (
    <>
      The pattern of{' '}
      {arm.learnFromRunIds.map((id, i) => (
        <span key={id}>
          {i > 0 && ' + '}
          <RunRef id={id} />
        </span>
      ))}
    </>
  );
}

/** How the arm differs from the first: success in points, then turns, tokens and time. */
function Comparison({ against }: { against: Experiment['comparison'][number] }) {
  const parts = [
    against.successRateDelta !== null &&
      `success ${formatDelta(Math.round(against.successRateDelta * 100))} points`,
    against.medianTurnsDelta !== null && `turns ${formatDelta(against.medianTurnsDelta)}`,
    against.medianTokensDelta !== null &&
      `tokens ${formatDelta(against.medianTokensDelta, formatTokenCount)}`,
    against.medianDurationMsDelta !== null &&
      `time ${formatDelta(against.medianDurationMsDelta, formatDuration)}`,
  ].filter((part) => part !== false);
  return (
    <p className="comparison">
      Against “{against.against}”: {parts.length > 0 ? parts.join(' · ') : 'nothing to compare yet'}
    </p>
  );
}

/** One attempt: its outcome and cost, where its diff is, and (a success) the button to keep it. */
function AttemptRow({ run }: { run: Attempt }) {
  const review = useReviewRun();
  return (
    <li className="attempt">
      <div className="attempt-head">
        <Link to={`/runs/${run.id}`}>#{run.number}</Link> <RunOutcome run={run} compact />
        <span className="spacer" />
        {run.status === 'succeeded' && run.review?.verdict !== 'approve' && (
          <button
            type="button"
            className="small-button"
            aria-label={`Approve #${run.number}`}
            disabled={review.isPending}
            onClick={() => review.mutate({ id: run.id, verdict: 'approve' })}
          >
            Approve
          </button>
        )}
      </div>
      <div className="muted small">
        {run.turns ?? '–'} turns · {formatTokens(run.usage)} tokens · {formatDuration(run.durationMs)}
        {run.filesTouched.length > 0 && (
          <>
            {' '}
            · changed <code>{oneLine(run.filesTouched.join(', '), 60)}</code>
          </>
        )}
      </div>
      {run.error && run.status !== 'succeeded' && (
        <div className="small error-text">{oneLine(run.error, 140)}</div>
      )}
      {review.error && (
        <div className="small error-text" role="alert">
          {errorMessage(review.error)}
        </div>
      )}
    </li>
  );
}

/** An arm of an experiment: how it learns, how its attempts fared, and each attempt. */
export function ExperimentArm({
  arm,
  against,
}: {
  arm: Arm;
  /** Its comparison with the first arm; none for the first arm itself. */
  against: Experiment['comparison'][number] | undefined;
}) {
  return (
    <section className="panel arm" aria-label={`Arm ${arm.name}`}>
      <h2>{arm.name}</h2>
      <p className="muted small">
        <LearnsFrom arm={arm} />
      </p>
      <p className="rate" title="Succeeded of ended, the success rate, and its 95% Wilson interval">
        {formatSuccessRate(arm)}
      </p>
      <p className="small">
        {arm.succeeded} succeeded · {arm.failed} failed · {arm.pending} pending
      </p>
      <dl className="figures">
        <div className="figure">
          <dt>median turns</dt>
          <dd>{arm.medianTurns ?? '–'}</dd>
        </div>
        <div className="figure">
          <dt>median tokens</dt>
          <dd>{formatTokenCount(arm.medianTokens)}</dd>
        </div>
        <div className="figure">
          <dt>median time</dt>
          <dd>{formatDuration(arm.medianDurationMs)}</dd>
        </div>
      </dl>
      {against ? <Comparison against={against} /> : <p className="comparison muted">The baseline.</p>}
      <h3>Attempts</h3>
      <ul className="attempts">
        {arm.runs.map((run) => (
          <AttemptRow key={run.id} run={run} />
        ))}
      </ul>
    </section>
  );
}
