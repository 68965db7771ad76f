import { type FormEvent, useState } from 'react';
import { PasswordField, UsernameField } from '../../components/CredentialFields.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { formErrorsOf } from '../../lib/form-errors.ts';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { SettingsSection } from './SettingsSection.tsx';

export function ChangeUsernameSection({ username }: { username: string }) {
  const utils = trpc.useUtils();
  const [newUsername, setNewUsername] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const change = trpc.account.changeUsername.useMutation({
    onSuccess: (user) => {
      utils.auth.me.setData(undefined, user);
      setNewUsername('');
      setCurrentPassword('');
    },
  });
  const errors = formErrorsOf(change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!change.isPending) change.mutate({ newUsername, currentPassword });
  }

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
      <form onSubmit={onSubmit} noValidate>
        <UsernameField
          label="New username"
          name="newUsername"
          value={newUsername}
          onChange={setNewUsername}
          error={errors.fields.newUsername}
          withRules
        />
        <PasswordField
          label="Current password"
          name="currentPassword"
          purpose="current"
          value={currentPassword}
          onChange={setCurrentPassword}
          error={errors.fields.currentPassword}
        />
        <SubmitButton pending={change.isPending} label="Change username" pendingLabel="Saving…" />
      </form>
    </SettingsSection>
  );
}
