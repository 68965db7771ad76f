import { HiddenUsername, PasswordField } from '../../components/CredentialFields.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';
import { SettingsSection } from './SettingsSection.tsx';

/** The fields as the form starts, and again once the password is changed. */
const empty = { currentPassword: '', newPassword: '' };

export function ChangePasswordSection({ username }: { username: string }) {
  const utils = trpc.useUtils();
  const change = trpc.account.changePassword.useMutation({
    onSuccess: () => utils.tokens.list.invalidate(),
  });
  const { errors, field, form } = useMutationForm(change, empty, { clearOnSuccess: true });

  return (
    <SettingsSection
      title="Change password"
      description="Changing your password logs you out on every other device."
    >
      {change.isSuccess ? <Notice kind="info">{messages.passwordChanged}</Notice> : null}
      <Notice kind="error">{errors.form}</Notice>
      <form {...form}>
        <HiddenUsername username={username} />
        <PasswordField label="Current password" purpose="current" {...field('currentPassword')} />
        <PasswordField label="New password" purpose="new" {...field('newPassword')} />
        <SubmitButton pending={change.isPending} label="Change password" pendingLabel="Saving…" />
      </form>
    </SettingsSection>
  );
}
