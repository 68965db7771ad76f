import { Link } from 'wouter';
import { AuthCard } from '../../components/AuthCard.tsx';
import { Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';

/** "Forgot your password?": the same answer whether or not an account matches. */
export function ForgotPasswordPage() {
  const request = trpc.recovery.requestPasswordReset.useMutation();
  const { errors, field, form } = useMutationForm(request, { login: '' });
  return (
    <AuthCard
      title="Forgot your password?"
      subtitle="Enter your email address or username. If your account has a confirmed email address, we will send a link to choose a new password."
      footer={
        <>
          <Link to="/forgot-username">Forgot your username?</Link> ·{' '}
          <Link to="/login">Back to log in</Link>
        </>
      }
    >
      {request.isSuccess ? <Notice kind="info">{messages.resetLinkSent}</Notice> : null}
      <Notice kind="error">{errors.form}</Notice>
      <form {...form}>
        <Field
          label="Email or username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          {...field('login')}
        />
        <SubmitButton pending={request.isPending} label="Send reset link" pendingLabel="Sending…" />
      </form>
    </AuthCard>
  );
}
