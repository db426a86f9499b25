import type { RunListItem } from '@retrace/api';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { formatDuration, formatFullTime, formatTime, formatTokens, oneLine } from '../lib/format';
import { RunLineage } from './RunLineage';
import { RunOutcome } from './RunOutcome';

/** Runs as a table: outcome, prompt, where each came from, time and tokens. */
export function RunTable({ runs, label }: { runs: RunListItem[]; label: string }) {
  // The runs most link to are on the same page: named without asking the server.
  const numbers = useMemo(() => new Map(runs.map((run) => [run.id, run.number])), [runs]);
  return (
    <table className="table runs" aria-label={label}>
      <thead>
        <tr>
          <th>#</th>
          <th>Status</th>
          <th>Prompt</th>
          <th className="num">Duration</th>
          <th className="num">Tokens</th>
          <th>Started</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-run-number={run.number}>
            <td>
              <Link to={`/runs/${run.id}`}>#{run.number}</Link>
            </td>
            <td>
              <div className="status-cell">
                <RunOutcome run={run} compact />
                {run.status === 'succeeded' && (
                  <span className="badge pattern" title="Successful: later runs can learn from its pattern">
                    pattern
                  </span>
                )}
              </div>
            </td>
            <td>
              <Link to={`/runs/${run.id}`} className="prompt-link">
                {oneLine(run.prompt, 90)}
              </Link>
              <RunLineage run={run} numbers={numbers} badges />
              {run.experimentId && (
                <Link to={`/experiments/${run.experimentId}`} className="badge experiment">
                  experiment · {run.experimentArm}
                </Link>
              )}
              {run.error && run.status !== 'succeeded' && (
                <div className="small error-text">{oneLine(run.error, 100)}</div>
              )}
            </td>
            <td className="num">{formatDuration(run.durationMs)}</td>
            <td className="num">{formatTokens(run.usage)}</td>
            <td title={formatFullTime(run.startedAt ?? run.createdAt)}>
              {formatTime(run.startedAt ?? run.createdAt)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
