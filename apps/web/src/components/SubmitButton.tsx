type SubmitButtonProps = {
  pending: boolean;
  label: string;
  pendingLabel: string;
  tone?: 'primary' | 'danger';
};

/**
 * A submit button that shows progress. While pending it is aria-disabled,
 * not disabled: a disabled button loses focus to the page's top. The form's
 * handler ignores a second submit (useMutationForm).
 */
export function SubmitButton({
  pending,
  label,
  pendingLabel,
  tone = 'primary',
}: SubmitButtonProps) {
  return (
    <button
      type="submit"
      className={`button ${tone}`}
      aria-disabled={pending || undefined}
      aria-busy={pending || undefined}
    >
      {pending ? <span className="spinner" aria-hidden="true" /> : null}
      {pending ? pendingLabel : label}
    </button>
  );
}
