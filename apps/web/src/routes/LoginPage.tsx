import { Link } from 'wouter';
import { useLoginState } from '../auth/login-state.ts';
import type { EndReason } from '../auth/session.ts';
import { useLogin } from '../auth/use-session-start.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { PasswordField, UsernameField } from '../components/CredentialFields.tsx';
import { Notice } from '../components/Notice.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { messages } from '../lib/messages.ts';
import { useMutationForm } from '../lib/use-mutation-form.ts';

const notices: Record<EndReason, string> = {
  expired: messages.sessionEnded,
  'logged-out': messages.loggedOut,
  'other-tab': messages.loggedOutElsewhere,
  'logged-out-everywhere': messages.loggedOutEverywhere,
  deleted: messages.accountDeleted,
};

export function LoginPage() {
  const state = useLoginState();
  // RedirectIfAuthenticated takes the user on once the session starts.
  const login = useLogin();
  const { errors, field, form } = useMutationForm(login, { username: '', password: '' });

  return (
    <AuthCard
      title="Log in"
      subtitle="Welcome back. Enter your details to continue."
      footer={
        <>
          New here?{' '}
          <Link to="/signup" state={state}>
            Create an account
          </Link>
        </>
      }
    >
      {state?.notice && !login.error ? <Notice kind="info">{notices[state.notice]}</Notice> : null}
      <Notice kind="error">{errors.form}</Notice>
      <form {...form}>
        <UsernameField label="Username" {...field('username')} />
        <PasswordField label="Password" purpose="current" {...field('password')} />
        <p className="field-aside">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <SubmitButton pending={login.isPending} label="Log in" pendingLabel="Logging in…" />
      </form>
    </AuthCard>
  );
}
