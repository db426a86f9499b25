import type { RunListItem } from '@retrace/api';
import { StatusBadge } from './StatusBadge';

/**
 * A run's status, what its success means (the verify command passed, or there was none to
 * run) and a person's verdict: a success that nobody checked is told apart from one that was.
 */
export function RunOutcome({
  run,
  compact = false,
}: {
  run: Pick<RunListItem, 'status' | 'verified' | 'review'>;
  /** In a list: "Unverified" alone, its reason in the title. */
  compact?: boolean;
}) {
  return (
    <span className="outcome">
      <StatusBadge status={run.status} />
      {run.status === 'succeeded' &&
        (run.verified ? (
          <span className="badge verified" title="The project’s verify command passed">
            Verified
          </span>
        ) : (
          <span className="badge unverified" title="The agent finished; the project has no verify command">
            {compact ? 'Unverified' : 'Unverified (no verify command)'}
          </span>
        ))}
      {run.review && (
        <span
          className={`badge review-${run.review.verdict}`}
          title={run.review.note ?? 'A person’s verdict on this run'}
        >
          {run.review.verdict === 'approve' ? 'Approved' : 'Rejected'}
        </span>
      )}
    </span>
  );
}
