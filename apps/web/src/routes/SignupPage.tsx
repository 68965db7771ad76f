import { Link } from 'react-router-dom';
import { useLoginState } from '../auth/login-state.ts';
import { startSession } from '../auth/session.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { PasswordField, UsernameField } from '../components/CredentialFields.tsx';
import { Field } from '../components/Field.tsx';
import { Notice } from '../components/Notice.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { trpc } from '../lib/trpc.ts';
import { useMutationForm } from '../lib/use-mutation-form.ts';

export function SignupPage() {
  const state = useLoginState();
  const signup = trpc.auth.signup.useMutation({ onSuccess: (data) => startSession(data.token) });
  const { errors, field, onSubmit } = useMutationForm(
    signup,
    { username: '', email: '', password: '' },
    { toInput: (values) => ({ ...values, email: values.email.trim() || undefined }) },
  );

  return (
    <AuthCard
      title="Create your account"
      subtitle="It takes less than a minute."
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" state={state}>
            Log in
          </Link>
        </>
      }
    >
      <Notice kind="error">{errors.form}</Notice>
      <form onSubmit={onSubmit} noValidate>
        <UsernameField label="Username" withRules {...field('username')} />
        <Field label="Email (optional)" type="email" autoComplete="email" {...field('email')} />
        <PasswordField label="Password" purpose="new" {...field('password')} />
        <SubmitButton pending={signup.isPending} label="Sign up" pendingLabel="Creating account…" />
      </form>
    </AuthCard>
  );
}
