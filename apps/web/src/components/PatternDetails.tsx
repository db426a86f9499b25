import type { RouterOutputs } from '@retrace/api';

type Pattern = Pick<
  RouterOutputs['patterns']['preview'],
  'block' | 'steps' | 'variables' | 'tokenCount' | 'truncated'
>;

const TOKEN_CAP = 600;

/** A pattern's steps, variables, token count against the cap, and its XML block. */
export function PatternDetails({ pattern }: { pattern: Pattern }) {
  return (
    <div className="pattern">
      <p className="token-meter">
        <meter min={0} max={TOKEN_CAP} value={pattern.tokenCount} aria-label="Tokens used of 600" />
        <span>
          {pattern.tokenCount} / {TOKEN_CAP} tokens · {pattern.steps.length} steps
          {pattern.truncated ? ' · cut to fit' : ''}
        </span>
      </p>
      <ol className="pattern-steps">
        {pattern.steps.map((step) => (
          <li key={step.n}>
            <span className="kind">{step.kind.replace('_', ' ')}</span> <code>{step.instruction}</code>
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
      <details>
        <summary>The XML block</summary>
        <pre className="block">{pattern.block}</pre>
      </details>
    </div>
  );
}
