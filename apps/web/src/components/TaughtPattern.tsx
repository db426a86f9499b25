import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { useTRPC } from '../lib/trpc';
import { ErrorBox } from './ErrorBox';
import { PatternDetails } from './PatternDetails';
import { StatusBadge } from './StatusBadge';

/** What a successful run teaches later runs: its pattern, how the runs given it fared, and which they are. */
export function TaughtPattern({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const pattern = useQuery(trpc.patterns.ofRun.queryOptions({ id: runId }));
  if (pattern.data === null) return null;
  return (
    <section className="panel" aria-labelledby="taught-title">
      <h2 id="taught-title">Pattern it teaches</h2>
      <ErrorBox error={pattern.error} what="Could not load its pattern" />
      {pattern.isPending && <p className="muted">Extracting…</p>}
      {pattern.data && (
        <>
          <p className="record-line">
            <strong>Record:</strong> {pattern.data.recordText}
          </p>
          {pattern.data.usedBy.length === 0 ? (
            <p className="muted small">No run has learned from it yet.</p>
          ) : (
            <ul className="used-by" aria-label="Runs that learned from it">
              <li className="muted small">Learned by</li>
              {pattern.data.usedBy.map((run) => (
                <li key={run.id}>
                  <Link to={`/runs/${run.id}`}>#{run.number}</Link> <StatusBadge status={run.status} />
                </li>
              ))}
            </ul>
          )}
          <p className="small">
            <Link to={`/patterns/${pattern.data.id}`}>Open the pattern’s page</Link>
          </p>
          <PatternDetails pattern={pattern.data} />
        </>
      )}
    </section>
  );
}
