import { useState } from 'react';
import { endSession } from '../../auth/session.ts';
import { Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';
import { SettingsSection } from './SettingsSection.tsx';

export function DeleteAccountSection() {
  const [confirming, setConfirming] = useState(false);
  const remove = trpc.account.delete.useMutation({ onSuccess: () => endSession('deleted') });
  const { errors, field, onSubmit, reset } = useMutationForm(remove, { currentPassword: '' });

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
      {confirming ? (
        <>
          <Notice kind="error">{errors.form}</Notice>
          <form onSubmit={onSubmit} noValidate>
            <Field
              label="Confirm with your password"
              type="password"
              autoComplete="current-password"
              required
              autoFocus
              {...field('currentPassword')}
            />
            <div className="section-actions">
              <button
                type="submit"
                className="button danger"
                disabled={remove.isPending}
                aria-busy={remove.isPending}
              >
                {remove.isPending ? 'Deleting…' : 'Delete my account'}
              </button>
              <button type="button" className="button secondary" onClick={cancel}>
                Cancel
              </button>
            </div>
          </form>
        </>
      ) : (
        <button type="button" className="button danger" onClick={() => setConfirming(true)}>
          Delete account…
        </button>
      )}
    </SettingsSection>
  );
}
