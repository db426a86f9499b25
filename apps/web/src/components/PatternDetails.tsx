import type { RouterOutputs } from '@retrace/api';
import { RunRef } from './RunRef';

type Pattern = Pick<
  RouterOutputs['patterns']['preview'],
  'block' | 'steps' | 'variables' | 'pitfalls' | 'tokenCount' | 'truncated'
>;

const TOKEN_CAP = 600;

/**
 * A pattern's steps, variables, pitfalls, token count against the cap, and its XML block.
 * `expanded` is the pattern page's view: each step's source run and step, the block open.
 */
export function PatternDetails({ pattern, expanded = false }: { pattern: Pattern; expanded?: boolean }) {
  return (
    <div className="pattern">
      <p className="token-meter">
        <meter min={0} max={TOKEN_CAP} value={pattern.tokenCount} aria-label="Tokens used of 600" />
        <span>
          {pattern.tokenCount} / {TOKEN_CAP} tokens · {pattern.steps.length} steps
          {pattern.truncated ? ' · cut to fit' : ''}
        </span>
      </p>
      <ol className="pattern-steps" aria-label="Steps">
        {pattern.steps.map((step) => (
          <li key={step.n}>
            <span className="kind">{step.kind.replace('_', ' ')}</span> <code>{step.instruction}</code>
            {expanded && (
              <span className="provenance small">
                from <RunRef id={step.sourceRunId} /> · step {step.sourceSeq}
              </span>
            )}
          </li>
        ))}
      </ol>
      {pattern.variables.length > 0 && (
        <>
          <h3>Variables</h3>
          <dl className="variables">
            {pattern.variables.map((v) => (
              <div key={v.name}>
                <dt>
                  {v.name} <span className="muted small">{v.kind}</span>
                </dt>
                <dd>
                  <code>{v.value}</code>
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {pattern.pitfalls.length > 0 && (
        <>
          <h3>Pitfalls</h3>
          <p className="muted small">What failed in runs given this pattern; the block warns of it.</p>
          <ul className="pitfalls">
            {pattern.pitfalls.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </>
      )}
      <details open={expanded}>
        <summary>The XML block</summary>
        <pre className="block">{pattern.block}</pre>
      </details>
    </div>
  );
}
