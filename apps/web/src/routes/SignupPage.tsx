import { type FormEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { useLoginState } from '../auth/login-state.ts';
import { startSession } from '../auth/session.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { PasswordField, UsernameField } from '../components/CredentialFields.tsx';
import { Field } from '../components/Field.tsx';
import { Notice } from '../components/Notice.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { formErrorsOf } from '../lib/form-errors.ts';
import { trpc } from '../lib/trpc.ts';

export function SignupPage() {
  const state = useLoginState();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signup = trpc.auth.signup.useMutation({ onSuccess: (data) => startSession(data.token) });
  const errors = formErrorsOf(signup.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (signup.isPending) return;
    signup.mutate({ username, password, email: email.trim() || undefined });
  }

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
        <UsernameField
          label="Username"
          name="username"
          value={username}
          onChange={setUsername}
          error={errors.fields.username}
          withRules
        />
        <Field
          label="Email (optional)"
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.fields.email}
        />
        <PasswordField
          label="Password"
          name="password"
          purpose="new"
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
        />
        <SubmitButton pending={signup.isPending} label="Sign up" pendingLabel="Creating account…" />
      </form>
    </AuthCard>
  );
}
