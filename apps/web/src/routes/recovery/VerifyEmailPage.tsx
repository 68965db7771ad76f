import { Link, useParams } from 'wouter';
import { AuthCard } from '../../components/AuthCard.tsx';
import { Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';

/**
 * The page a verification link opens. Confirming takes a click: mail
 * scanners that open links must not use them up. A dead link offers a new
 * one, without logging in (activation mode allows no login before).
 */
export function VerifyEmailPage() {
  const { uid = '', token = '' } = useParams();
  const utils = trpc.useUtils();
  const verify = trpc.recovery.verifyEmail.useMutation({
    onSuccess: () => utils.auth.me.invalidate(),
  });
  const { errors, form } = useMutationForm(verify, {}, { toInput: () => ({ uid, token }) });
  const resend = trpc.recovery.requestVerification.useMutation();
  const again = useMutationForm(resend, { email: '' });
  return (
    <AuthCard
      title="Confirm your email address"
      subtitle="Confirmed, it can be used to reset your password."
      footer={<Link to="/dashboard">Go to your dashboard</Link>}
    >
      {verify.isSuccess ? (
        <Notice kind="info">{messages.emailVerified}</Notice>
      ) : (
        <>
          <Notice kind="error">{errors.form}</Notice>
          <form {...form}>
            <SubmitButton
              pending={verify.isPending}
              label="Confirm email address"
              pendingLabel="Confirming…"
            />
          </form>
        </>
      )}
      {verify.isError ? (
        <form {...again.form} aria-label="Ask for a new link">
          {resend.isSuccess ? <Notice kind="info">{messages.verificationResent}</Notice> : null}
          <Notice kind="error">{again.errors.form}</Notice>
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            required
            {...again.field('email')}
          />
          <SubmitButton
            pending={resend.isPending}
            label="Send a new link"
            pendingLabel="Sending…"
          />
        </form>
      ) : null}
    </AuthCard>
  );
}
