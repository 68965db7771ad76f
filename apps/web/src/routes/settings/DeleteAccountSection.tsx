import { useState } from 'react';
import { endSession } from '../../auth/session.ts';
import { HiddenUsername, PasswordField } from '../../components/CredentialFields.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';
import { SettingsSection } from './SettingsSection.tsx';

export function DeleteAccountSection({ username }: { username: string }) {
  const [confirming, setConfirming] = useState(false);
  const remove = trpc.account.delete.useMutation({ onSuccess: () => endSession('deleted') });
  const { errors, field, form, reset } = useMutationForm(remove, { currentPassword: '' });

  function cancel() {
    setConfirming(false);
    reset();
  }

  return (
    <SettingsSection
      title="Delete account"
      tone="danger"
      description="This deletes your account and logs out every device. It cannot be undone."
    >
      <button type="button" className="button danger" onClick={() => setConfirming(true)}>
        Delete account…
      </button>
      <Dialog
        open={confirming}
        title="Delete your account?"
        description="Your account and every session of it are deleted at once. This cannot be undone."
        onClose={cancel}
      >
        <Notice kind="error">{errors.form}</Notice>
        <form {...form}>
          <HiddenUsername username={username} />
          <PasswordField
            label="Confirm with your password"
            purpose="current"
            {...field('currentPassword')}
          />
          <div className="section-actions">
            <button type="button" className="button secondary" onClick={cancel}>
              Cancel
            </button>
            <SubmitButton
              pending={remove.isPending}
              label="Delete my account"
              pendingLabel="Deleting…"
              tone="danger"
            />
          </div>
        </form>
      </Dialog>
    </SettingsSection>
  );
}
