import type { ReactNode } from 'react';
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
  pending,
  error,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** What going ahead does. */
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** Why it was refused (the server's message, a CONFLICT's included). */
  error: unknown;
  onConfirm: () => void;
}) {
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
          error={error ? errorMessage(error) : null}
          pending={pending}
          submitLabel={confirmLabel}
          pendingLabel={pendingLabel}
          onCancel={() => onOpenChange(false)}
          danger
        />
      </form>
    </Modal>
  );
}
