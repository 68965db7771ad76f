import { PasswordField, UsernameField } from '../../components/CredentialFields.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';
import { SettingsSection } from './SettingsSection.tsx';

/** The fields as the form starts, and again once the username is changed. */
const empty = { newUsername: '', currentPassword: '' };

export function ChangeUsernameSection({ username }: { username: string }) {
  const utils = trpc.useUtils();
  const change = trpc.account.changeUsername.useMutation({
    onSuccess: (user) => utils.auth.me.setData(undefined, user),
  });
  const { errors, field, form } = useMutationForm(change, empty, {
    clearOnSuccess: true,
    conflictField: 'newUsername',
  });

  return (
    <SettingsSection
      title="Change username"
      description={
        <>
          You log in as <strong>{username}</strong>.
        </>
      }
    >
      {change.isSuccess ? <Notice kind="info">{messages.usernameChanged}</Notice> : null}
      <Notice kind="error">{errors.form}</Notice>
      <form {...form}>
        <UsernameField label="New username" withRules {...field('newUsername')} />
        <PasswordField label="Current password" purpose="current" {...field('currentPassword')} />
        <SubmitButton pending={change.isPending} label="Change username" pendingLabel="Saving…" />
      </form>
    </SettingsSection>
  );
}
