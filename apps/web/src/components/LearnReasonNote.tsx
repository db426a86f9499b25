import type { Run } from '@retrace/api';

/** Why a run was given its pattern, or none: a person's pick, or Retrace's score and reasons. */
export function LearnReasonNote({ reason }: { reason: NonNullable<Run['learnReason']> }) {
  if (reason.by === 'person') return <p className="learn-reason">Picked by a person.</p>;
  return (
    <div className="learn-reason">
      <p>
        {reason.picked ? (
          <>
            Chosen by Retrace · score <strong>{reason.score}</strong>
          </>
        ) : (
          'Retrace looked for a pattern and chose none'
        )}
      </p>
      <ul>
        {reason.reasons.map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ul>
    </div>
  );
}
