import { Link, useParams } from 'wouter';
import { AuthCard } from '../../components/AuthCard.tsx';
import { UsernameField } from '../../components/CredentialFields.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';

/** The page a username reminder links to: another username for the account. */
export function ResetUsernamePage() {
  const { uid = '', token = '' } = useParams();
  const reset = trpc.recovery.resetUsername.useMutation();
  const { errors, field, form } = useMutationForm(
    reset,
    { newUsername: '' },
    { toInput: (values) => ({ uid, token, newUsername: values.newUsername }) },
  );
  return (
    <AuthCard
      title="Choose a new username"
      subtitle="Your password and sessions stay as they are."
      footer={<Link to="/login">Back to log in</Link>}
    >
      {reset.isSuccess ? (
        <Notice kind="info">{messages.usernameReset}</Notice>
      ) : (
        <>
          <Notice kind="error">{errors.form}</Notice>
          <form {...form}>
            <UsernameField label="New username" withRules {...field('newUsername')} />
            <SubmitButton pending={reset.isPending} label="Save username" pendingLabel="Saving…" />
          </form>
        </>
      )}
    </AuthCard>
  );
}
