import { messages } from '../lib/messages.ts';
import { trpc } from '../lib/trpc.ts';
import type { FieldBinding } from '../lib/use-mutation-form.ts';
import { Field } from './Field.tsx';

type Props = FieldBinding & { label: string };

/** A username input; `withRules` shows what a new username may contain. */
export function UsernameField({ withRules, ...props }: Props & { withRules?: boolean }) {
  return (
    <Field
      {...props}
      autoComplete="username"
      autoCapitalize="none"
      spellCheck={false}
      required
      hint={withRules ? messages.usernameHint : undefined}
    />
  );
}

/**
 * The account's username, hidden, in a form that asks only for a password:
 * password managers then know whose password it is (Chrome warns about a
 * password form without one).
 */
export function HiddenUsername({ username }: { username: string }) {
  return (
    <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
  );
}

/** A password input: a new one (with the policy as its hint) or the current one. */
export function PasswordField({ purpose, ...props }: Props & { purpose: 'new' | 'current' }) {
  // The operator sets the minimum (PASSWORD_MIN_LENGTH); ask once per visit.
  const policy = trpc.auth.passwordPolicy.useQuery(undefined, {
    enabled: purpose === 'new',
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <Field
      {...props}
      type="password"
      autoComplete={purpose === 'new' ? 'new-password' : 'current-password'}
      required
      hint={purpose === 'new' ? messages.newPasswordHint(policy.data) : undefined}
    />
  );
}
