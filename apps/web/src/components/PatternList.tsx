import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { ErrorBox } from './ErrorBox';

/** A project's patterns, ranked as the API ranks them: the best-proven record first, then the newest. */
export function PatternList({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const patterns = useQuery(trpc.patterns.list.queryOptions({ projectId }));
  if (patterns.error) return <ErrorBox error={patterns.error} what="Could not load patterns" />;
  if (!patterns.data) return <p className="muted">Loading patterns…</p>;
  if (patterns.data.length === 0)
    return (
      <div className="empty">
        <p>
          No patterns yet. A pattern is made the first time a successful run is learned from or previewed; its
          record then counts how the runs given it fare.
        </p>
      </div>
    );
  return (
    <table className="table pattern-list" aria-label="Patterns">
      <thead>
        <tr>
          <th>Pattern</th>
          <th>Record</th>
          <th className="num">Steps</th>
          <th className="num">Tokens</th>
          <th className="num">Pitfalls</th>
        </tr>
      </thead>
      <tbody>
        {patterns.data.map((pattern) => (
          <tr key={pattern.id}>
            <td>
              <Link to={`/patterns/${pattern.id}`}>
                Pattern of {pattern.sources.map((run) => `#${run.number}`).join(' + ')}
              </Link>
              {pattern.sources.map((run) => (
                <div key={run.id} className="mono small muted">
                  {oneLine(run.prompt, 70)}
                </div>
              ))}
            </td>
            <td>{pattern.recordText}</td>
            <td className="num">{pattern.stepCount}</td>
            <td className="num">{pattern.tokenCount}</td>
            <td className="num">{pattern.pitfalls.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
