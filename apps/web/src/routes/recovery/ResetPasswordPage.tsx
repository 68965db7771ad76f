import { Link, useParams } from 'wouter';
import { useSessionStart } from '../../auth/use-session-start.ts';
import { AuthCard } from '../../components/AuthCard.tsx';
import { PasswordField } from '../../components/CredentialFields.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';

/** The page a reset link opens: a new password, then this browser is logged in afresh. */
export function ResetPasswordPage() {
  const { uid = '', token = '' } = useParams();
  const startSession = useSessionStart();
  const reset = trpc.recovery.resetPassword.useMutation({
    onSuccess: (data) => startSession(data),
  });
  const { errors, field, form } = useMutationForm(
    reset,
    { newPassword: '' },
    { toInput: (values) => ({ uid, token, newPassword: values.newPassword }) },
  );
  return (
    <AuthCard
      title="Choose a new password"
      subtitle="Every session of your account will be logged out, and you will be logged in here."
      footer={<Link to="/forgot-password">Ask for a new link</Link>}
    >
      {reset.isSuccess ? (
        <>
          <Notice kind="info">{messages.passwordReset}</Notice>
          <Link className="button" to="/dashboard">
            Go to your dashboard
          </Link>
        </>
      ) : (
        <>
          <Notice kind="error">{errors.form}</Notice>
          <form {...form}>
            <PasswordField label="New password" purpose="new" {...field('newPassword')} />
            <SubmitButton
              pending={reset.isPending}
              label="Set new password"
              pendingLabel="Saving…"
            />
          </form>
        </>
      )}
    </AuthCard>
  );
}
