import type { Run } from '@retrace/api';
import { useId } from 'react';

/** Why a run has no recorded instructions: it has not reached the model, or never did. */
function notSentYet(run: Run): string {
  if (run.status === 'queued') return 'Sent when the run starts.';
  if (run.status === 'running') return 'Not sent yet: the workspace is being prepared.';
  return 'Never sent: the run ended before its agent model was asked.';
}

function SentText({ title, text, absent }: { title: string; text: string | null; absent: string }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {text === null ? <p className="muted small">{absent}</p> : <pre>{text}</pre>}
    </section>
  );
}

/** The run's prompt, and the instructions each model layer was given, exactly as sent. */
export function RunPrompt({ run }: { run: Run }) {
  const sent = run.systemInstructions !== null;
  return (
    <details className="prompt">
      <summary>Prompt</summary>
      <pre>{run.prompt}</pre>
      <SentText
        title="System message sent to the agent model"
        text={run.systemInstructions}
        absent={notSentYet(run)}
      />
      <SentText
        title="Developer instructions sent to Codex"
        text={run.codexInstructions}
        absent={sent ? 'None: Codex had only the task.' : notSentYet(run)}
      />
    </details>
  );
}
