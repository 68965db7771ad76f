/** What the button needs of a mutation that takes no input (tRPC's `useMutation` result is one). */
type InputlessMutation = { mutate: () => void; isPending: boolean };

type MutationButtonProps = { mutation: InputlessMutation; label: string; pendingLabel: string };

/** A secondary button that runs a mutation, says so meanwhile, and cannot be pressed twice. */
export function MutationButton({ mutation, label, pendingLabel }: MutationButtonProps) {
  return (
    <button
      type="button"
      className="button secondary"
      disabled={mutation.isPending}
      aria-busy={mutation.isPending}
      onClick={() => mutation.mutate()}
    >
      {mutation.isPending ? pendingLabel : label}
    </button>
  );
}
