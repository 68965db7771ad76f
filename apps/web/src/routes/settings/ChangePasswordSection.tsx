import { type FormEvent, useState } from 'react';
import { PasswordField } from '../../components/CredentialFields.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { formErrorsOf } from '../../lib/form-errors.ts';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { SettingsSection } from './SettingsSection.tsx';

export function ChangePasswordSection() {
  const utils = trpc.useUtils();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const change = trpc.account.changePassword.useMutation({
    onSuccess: () => {
      setCurrentPassword('');
      setNewPassword('');
      return utils.tokens.list.invalidate();
    },
  });
  const errors = formErrorsOf(change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!change.isPending) change.mutate({ currentPassword, newPassword });
  }

  return (
    <SettingsSection
      title="Change password"
      description="Changing your password logs you out on every other device."
    >
      {change.isSuccess ? <Notice kind="info">{messages.passwordChanged}</Notice> : null}
      <Notice kind="error">{errors.form}</Notice>
      <form onSubmit={onSubmit} noValidate>
        <PasswordField
          label="Current password"
          name="currentPassword"
          purpose="current"
          value={currentPassword}
          onChange={setCurrentPassword}
          error={errors.fields.currentPassword}
        />
        <PasswordField
          label="New password"
          name="newPassword"
          purpose="new"
          value={newPassword}
          onChange={setNewPassword}
          error={errors.fields.newPassword}
        />
        <SubmitButton pending={change.isPending} label="Change password" pendingLabel="Saving…" />
      </form>
    </SettingsSection>
  );
}
