import { type FormEvent, useState } from 'react';
import { Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { formErrorsOf } from '../../lib/form-errors.ts';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { SettingsSection } from './SettingsSection.tsx';

export function EmailSection({ email }: { email: string | null }) {
  const utils = trpc.useUtils();
  const [value, setValue] = useState(email ?? '');
  const update = trpc.account.update.useMutation({
    onSuccess: (user) => utils.auth.me.setData(undefined, user),
  });
  const errors = formErrorsOf(update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!update.isPending) update.mutate({ email: value.trim() || null });
  }

  return (
    <SettingsSection
      title="Change email"
      description="Optional. Leave it empty to remove your email address."
    >
      {update.isSuccess ? (
        <Notice kind="info">
          {update.data.email ? messages.emailSaved : messages.emailRemoved}
        </Notice>
      ) : null}
      <Notice kind="error">{errors.form}</Notice>
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={errors.fields.email}
        />
        <SubmitButton pending={update.isPending} label="Save email" pendingLabel="Saving…" />
      </form>
    </SettingsSection>
  );
}
