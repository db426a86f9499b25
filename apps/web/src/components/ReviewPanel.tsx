import type { Run } from '@retrace/api';
import { useState } from 'react';
import { useReviewRun } from '../hooks/useReviewRun';
import { formErrors } from '../lib/errors';
import { formatTime } from '../lib/format';
import { Field } from './Field';

/** A person's verdict on an ended run: shown, and given or changed here. */
export function ReviewPanel({ run }: { run: Pick<Run, 'id' | 'status' | 'review' | 'patternId'> }) {
  const review = useReviewRun();
  const [note, setNote] = useState('');
  const { issues, other } = formErrors(review.error, ['note']);
  if (run.status === 'queued' || run.status === 'running') return null;
  const judge = (verdict: 'approve' | 'reject') =>
    review.mutate({ id: run.id, verdict, note: note.trim() || null }, { onSuccess: () => setNote('') });
  return (
    <section className="panel" aria-labelledby="review-title">
      <h2 id="review-title">Review</h2>
      {run.review ? (
        <p className="review" role="status">
          <span className={`badge review-${run.review.verdict}`}>
            {run.review.verdict === 'approve' ? 'Approved' : 'Rejected'}
          </span>{' '}
          <span className="muted small">{formatTime(run.review.at)}</span>
          {run.review.note && <span className="review-note">“{run.review.note}”</span>}
        </p>
      ) : (
        <p className="muted small">
          Would you keep what this run did?{' '}
          {run.patternId && 'Your verdict counts in the record of the pattern it was given. '}
          Retrace’s own choices learn only from runs verified or approved.
        </p>
      )}
      <form
        className="form review-form"
        onSubmit={(event) => {
          event.preventDefault();
          judge('approve');
        }}
      >
        <Field label="Note (optional)" error={issues.note}>
          {(control) => (
            <input
              {...control}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder="What made it right or wrong"
            />
          )}
        </Field>
        {other && (
          <div className="error-box" role="alert">
            {other}
          </div>
        )}
        <div className="buttons">
          <button type="submit" disabled={review.isPending}>
            Approve
          </button>
          <button type="button" onClick={() => judge('reject')} disabled={review.isPending}>
            Reject
          </button>
        </div>
      </form>
    </section>
  );
}
