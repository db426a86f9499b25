import { type ReactNode, useId } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** A labelled form field with the API's message for it, if any, tied to the control for screen readers. */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const noteId = `${id}-note`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': error || hint ? noteId : undefined,
      })}
      {hint && !error && (
        <span className="field-hint" id={noteId}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={noteId} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
