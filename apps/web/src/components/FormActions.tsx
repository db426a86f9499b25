/** The end of a dialog's form: the error no field owns, then Cancel and the submit button. */
export function FormActions({
  error,
  pending,
  submitLabel,
  pendingLabel,
  onCancel,
  danger = false,
}: {
  error: string | null;
  pending: boolean;
  submitLabel: string;
  pendingLabel: string;
  onCancel: () => void;
  /** The submit button does what cannot be undone. */
  danger?: boolean;
}) {
  return (
    <>
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={danger ? 'primary danger' : 'primary'} disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
      </div>
    </>
  );
}
