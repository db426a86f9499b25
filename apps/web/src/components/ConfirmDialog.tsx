import { type ReactNode, useEffect } from 'react';
import { errorMessage } from '../lib/errors';
import { FormActions } from './FormActions';
import { Modal } from './Modal';

/** "Are you sure?" before something that cannot be undone: what it does, then Cancel or go ahead. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  children,
  confirmLabel,
  pendingLabel,
  action,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** What going ahead does. */
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  /** The mutation it runs: pending while it does, its error (a CONFLICT's included) shown. */
  action: { isPending: boolean; error: unknown; reset: () => void };
  onConfirm: () => void;
}) {
  const { reset } = action;
  // Each opening starts without the last one's refusal.
  useEffect(() => {
    if (open) reset();
  }, [open, reset]);
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={title}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm();
        }}
      >
        <div className="confirm-text">{children}</div>
        <FormActions
          error={action.error ? errorMessage(action.error) : null}
          pending={action.isPending}
          submitLabel={confirmLabel}
          pendingLabel={pendingLabel}
          onCancel={() => onOpenChange(false)}
          danger
        />
      </form>
    </Modal>
  );
}
