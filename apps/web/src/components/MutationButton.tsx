/** What the button needs of a mutation that takes no input (tRPC's `useMutation` result is one). */
type InputlessMutation = { mutate: () => void; isPending: boolean };

type MutationButtonProps = {
  mutation: InputlessMutation;
  label: string;
  pendingLabel: string;
  tone?: 'secondary' | 'danger';
};

/**
 * A secondary button that runs a mutation, says so meanwhile, and cannot be
 * pressed twice; it keeps focus while pending (aria-disabled, as SubmitButton).
 */
export function MutationButton({
  mutation,
  label,
  pendingLabel,
  tone = 'secondary',
}: MutationButtonProps) {
  return (
    <button
      type="button"
      className={`button ${tone}`}
      aria-disabled={mutation.isPending || undefined}
      aria-busy={mutation.isPending || undefined}
      onClick={() => {
        if (!mutation.isPending) mutation.mutate();
      }}
    >
      {mutation.isPending ? pendingLabel : label}
    </button>
  );
}
