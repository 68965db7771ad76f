import { Link } from 'wouter';
import { AuthCard } from '../../components/AuthCard.tsx';
import { Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';

/** "Forgot your username?": the usernames of the accounts with this confirmed address, by mail. */
export function ForgotUsernamePage() {
  const request = trpc.recovery.requestUsernameReminder.useMutation();
  const { errors, field, form } = useMutationForm(request, { email: '' });
  return (
    <AuthCard
      title="Forgot your username?"
      subtitle="Enter your email address. If an account has it confirmed, we will send its username there."
      footer={<Link to="/login">Back to log in</Link>}
    >
      {request.isSuccess ? <Notice kind="info">{messages.reminderSent}</Notice> : null}
      <Notice kind="error">{errors.form}</Notice>
      <form {...form}>
        <Field label="Email" type="email" autoComplete="email" required {...field('email')} />
        <SubmitButton
          pending={request.isPending}
          label="Send my username"
          pendingLabel="Sending…"
        />
      </form>
    </AuthCard>
  );
}
