import { useState } from 'react';
import type { TranscriptStep } from '../hooks/useRunEvents';
import { formatDuration } from '../lib/format';

interface CommandPayload {
  aggregated_output?: string;
  exit_code?: number | null;
  verify?: boolean;
  preview?: string;
  /** Cut to fit in a live event; the run's steps hold it whole. */
  truncated?: boolean;
}

interface FileChangePayload {
  changes?: Array<{ path: string; kind: string }>;
}

const KIND_LABEL: Record<string, string> = {
  agent_message: 'Message',
  reasoning: 'Thinking',
  command: 'Command',
  file_change: 'File change',
  tool_call: 'Tool',
  web_search: 'Search',
  todo_list: 'Plan',
  error: 'Error',
};

/** One step of a transcript, shown by what it is. */
export function StepView({ step }: { step: TranscriptStep }) {
  const [open, setOpen] = useState(false);
  const payload = (step.payload ?? {}) as CommandPayload & FileChangePayload;
  // Cut off by a cancel (or the time limit): neither passed nor failed.
  const canceled = step.status === 'canceled';
  const failed = !step.outcomeOk && !canceled;
  return (
    <article
      className={`step step-${step.kind}${failed ? ' step-failed' : ''}${canceled ? ' step-canceled' : ''}`}
      aria-label={`Step ${step.seq}: ${KIND_LABEL[step.kind] ?? step.kind}`}
    >
      <header className="step-head">
        <span className="step-seq">{step.seq}</span>
        <span className="step-kind">{payload.verify ? 'Verify' : (KIND_LABEL[step.kind] ?? step.kind)}</span>
        {step.kind === 'command' && typeof payload.exit_code === 'number' && (
          <span className={payload.exit_code === 0 ? 'exit ok' : 'exit bad'}>exit {payload.exit_code}</span>
        )}
        {failed && step.kind !== 'command' && <span className="exit bad">failed</span>}
        {canceled && <span className="exit cut">canceled</span>}
        <span className="spacer" />
        <span className="muted small">{formatDuration(step.durationMs)}</span>
      </header>
      {step.kind === 'command' ? (
        <>
          <pre className="command">$ {step.instruction}</pre>
          {(payload.aggregated_output || payload.preview) && (
            <>
              <button
                type="button"
                className="link small"
                aria-expanded={open}
                onClick={() => setOpen(!open)}
              >
                {open ? 'Hide output' : 'Show output'}
              </button>
              {open && <pre className="output">{payload.aggregated_output ?? payload.preview}</pre>}
              {open && payload.truncated && (
                <p className="muted small">
                  Only its start, as it arrived live: reload the page for all of it.
                </p>
              )}
            </>
          )}
        </>
      ) : step.kind === 'file_change' ? (
        <div>
          <ul className="changes">
            {(payload.changes ?? []).map((change) => (
              <li key={`${change.kind}:${change.path}`}>
                <span className={`change change-${change.kind}`}>{change.kind}</span>{' '}
                <code>{change.path}</code>
              </li>
            ))}
          </ul>
          <pre className="instruction">{step.instruction}</pre>
        </div>
      ) : step.kind === 'agent_message' || step.kind === 'reasoning' || step.kind === 'error' ? (
        <p className="text">{step.instruction}</p>
      ) : (
        <pre className="instruction">{step.instruction}</pre>
      )}
    </article>
  );
}
