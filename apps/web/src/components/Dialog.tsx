import { type ReactNode, useEffect, useId, useRef } from 'react';

type DialogProps = {
  open: boolean;
  title: string;
  /** What will happen, read out with the title when the dialog opens. */
  description: ReactNode;
  /** Cancel, Escape: the dialog is closed by its owner setting `open` to false. */
  onClose: () => void;
  children: ReactNode;
};

/**
 * A modal dialog on the native <dialog> shown with showModal(): focus moves
 * into it (to its first control: put the least destructive first) and stays there, the page behind is inert, Escape cancels. When it
 * closes, focus goes back to what had it before (the button that opened it),
 * not to the page's top.
 */
export function Dialog({ open, title, description, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current =
        document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
      opener.current?.focus();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-description`}
      onCancel={(event) => {
        // Escape: closed the React way, so that state and focus follow.
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-description`} className="section-description">
        {description}
      </p>
      {open ? children : null}
    </dialog>
  );
}
