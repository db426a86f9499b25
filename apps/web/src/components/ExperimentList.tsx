import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { formatSuccessRate, formatTime, oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { ErrorBox } from './ErrorBox';

/** A project's experiments, the newest first: each arm's outcome so far. */
export function ExperimentList({ projectId, onStart }: { projectId: string; onStart: () => void }) {
  const trpc = useTRPC();
  const experiments = useQuery(trpc.experiments.list.queryOptions({ projectId }));
  if (experiments.error) return <ErrorBox error={experiments.error} what="Could not load experiments" />;
  if (!experiments.data) return <p className="muted">Loading experiments…</p>;
  if (experiments.data.length === 0)
    return (
      <div className="empty">
        <p>
          No experiments yet. An experiment runs one prompt several times without a pattern and with one, from
          the same workspace, so you can see whether learning helps on your own task.
        </p>
        <button type="button" className="primary" onClick={onStart}>
          Start an experiment
        </button>
      </div>
    );
  return (
    <table className="table experiment-list" aria-label="Experiments">
      <thead>
        <tr>
          <th>Prompt</th>
          <th>Arms</th>
          <th>Started</th>
        </tr>
      </thead>
      <tbody>
        {experiments.data.map((experiment) => (
          <tr key={experiment.id}>
            <td>
              <Link to={`/experiments/${experiment.id}`} className="prompt-link">
                {oneLine(experiment.prompt, 80)}
              </Link>
              <div className="muted small">
                {experiment.attempts} attempts per arm · {experiment.done ? 'done' : 'running'}
              </div>
            </td>
            <td>
              <ul className="arm-summaries">
                {experiment.arms.map((arm) => (
                  <li key={arm.name}>
                    <strong>{arm.name}</strong> {formatSuccessRate(arm)}
                    {arm.pending > 0 && <span className="muted small"> · {arm.pending} pending</span>}
                  </li>
                ))}
              </ul>
            </td>
            <td>{formatTime(experiment.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
