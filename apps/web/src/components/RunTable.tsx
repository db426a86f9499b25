import type { RunListItem } from '@retrace/api';
import { Link } from 'react-router';
import { formatDuration, formatTime, formatTokens, oneLine } from '../lib/format';
import { RunOutcome } from './RunOutcome';
import { RunRef } from './RunRef';

/** Runs as a table: outcome, prompt, what each learned from, time and tokens. */
export function RunTable({ runs, label }: { runs: RunListItem[]; label: string }) {
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
              {run.learnFromRunId && (
                <span className="badge learned">
                  learned from <RunRef id={run.learnFromRunId} />
                </span>
              )}
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
            <td>{formatTime(run.startedAt ?? run.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
