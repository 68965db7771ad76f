import { Link } from 'wouter';
import { useLoginState } from '../auth/login-state.ts';
import { useSessionStart } from '../auth/use-session-start.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { PasswordField, UsernameField } from '../components/CredentialFields.tsx';
import { Field } from '../components/Field.tsx';
import { Notice } from '../components/Notice.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { messages } from '../lib/messages.ts';
import { trpc } from '../lib/trpc.ts';
import { useMutationForm } from '../lib/use-mutation-form.ts';

export function SignupPage() {
  const state = useLoginState();
  // The same query the password field asks (cached): does this server need an email?
  const policy = trpc.auth.passwordPolicy.useQuery(undefined, {
    staleTime: Number.POSITIVE_INFINITY,
  });
  const emailRequired = policy.data?.emailRequired ?? false;
  const startSession = useSessionStart();
  const signup = trpc.auth.signup.useMutation({
    // No token in activation mode (REQUIRE_EMAIL_VERIFICATION): the mailed link comes first.
    onSuccess: ({ token, user }) => (token ? startSession({ token, user }) : undefined),
  });
  const { errors, field, form } = useMutationForm(
    signup,
    { username: '', email: '', password: '' },
    {
      toInput: (values) => ({ ...values, email: values.email.trim() || undefined }),
      conflictField: 'username',
    },
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
      {signup.data && !signup.data.token ? (
        <Notice kind="info">{messages.activationSent(signup.data.user.email ?? '')}</Notice>
      ) : null}
      <Notice kind="error">{errors.form}</Notice>
      <form {...form}>
        <UsernameField label="Username" withRules {...field('username')} />
        <Field
          label={emailRequired ? 'Email' : 'Email (optional)'}
          type="email"
          autoComplete="email"
          required={emailRequired}
          hint={emailRequired ? 'We will send a link to activate your account.' : undefined}
          {...field('email')}
        />
        <PasswordField label="Password" purpose="new" {...field('password')} />
        <SubmitButton pending={signup.isPending} label="Sign up" pendingLabel="Creating account…" />
      </form>
    </AuthCard>
  );
}
