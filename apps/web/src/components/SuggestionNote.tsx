import type { RouterOutputs } from '@retrace/api';

type Suggestion = RouterOutputs['patterns']['suggest'][number];

/**
 * Why a pattern is offered for the prompt (its score and reasons), or that none fits: shown
 * beside "Learn from" so a pre-selection is never silent.
 */
export function SuggestionNote({
  suggestion,
  auto,
}: {
  /** The suggestion to explain; null when nothing fits the prompt well enough. */
  suggestion: Suggestion | null;
  /** "Let Retrace choose" is selected: the run gets what Retrace chooses when it is created. */
  auto: boolean;
}) {
  if (!suggestion)
    return (
      <p className="suggestion muted small" role="status">
        {auto
          ? 'No pattern fits this prompt well enough: Retrace will give the run none.'
          : 'No pattern of this project fits this prompt well enough to suggest.'}
      </p>
    );
  return (
    <div className="suggestion small" role="status">
      <p>
        {auto ? 'Retrace would choose ' : 'Suggested: '}
        <strong>#{suggestion.run.number}</strong>, score <strong>{suggestion.score}</strong>
      </p>
      <ul>
        {suggestion.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
    </div>
  );
}
