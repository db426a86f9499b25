import * as Dialog from '@radix-ui/react-dialog';
import { type KeyboardEvent, type ReactNode, useLayoutEffect, useRef } from 'react';

/**
 * Ctrl+Enter (⌘+Enter on a Mac) in a dialog's form submits it, from the textarea too; not
 * while its submit button is disabled (a submission under way).
 */
function submitOnModEnter(event: KeyboardEvent<HTMLDivElement>) {
  if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
  const form = (event.target as HTMLElement).closest('form');
  if (!form) return;
  event.preventDefault();
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (submit?.disabled) return;
  form.requestSubmit(submit);
}

/**
 * A dialog that traps focus, closes on Escape (Radix) and gives focus back to the element
 * that opened it: these dialogs are opened by state, not a Radix trigger, so Radix alone
 * would leave focus on the page's body.
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  wide,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  const opener = useRef<HTMLElement | null>(null);
  // Before the dialog's own effects move focus into it: what had focus is what opened it.
  useLayoutEffect(() => {
    if (open && document.activeElement instanceof HTMLElement && document.activeElement !== document.body)
      opener.current = document.activeElement;
  }, [open]);
  const giveFocusBack = (event: Event) => {
    const element = opener.current;
    opener.current = null;
    // The opener may be gone (a dialog that navigated away): then the browser decides.
    if (!element?.isConnected) return;
    event.preventDefault();
    element.focus();
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          className={wide ? 'dialog wide' : 'dialog'}
          onCloseAutoFocus={giveFocusBack}
          onKeyDown={submitOnModEnter}
        >
          <Dialog.Title className="dialog-title">{title}</Dialog.Title>
          {description ? (
            <Dialog.Description className="dialog-description">{description}</Dialog.Description>
          ) : (
            <Dialog.Description className="visually-hidden">{title}</Dialog.Description>
          )}
          {children}
          <Dialog.Close className="dialog-close" aria-label="Close">
            ×
          </Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
