import { Field } from '../../components/Field.tsx';
import { MutationButton } from '../../components/MutationButton.tsx';
import { Notice } from '../../components/Notice.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { formErrorsOf } from '../../lib/form-errors.ts';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { useMutationForm } from '../../lib/use-mutation-form.ts';
import { SettingsSection } from './SettingsSection.tsx';

export function EmailSection({ email, verified }: { email: string | null; verified: boolean }) {
  const utils = trpc.useUtils();
  const update = trpc.account.update.useMutation({
    onSuccess: (user) => utils.auth.me.setData(undefined, user),
  });
  const resend = trpc.recovery.resendVerification.useMutation();
  const { errors, field, form } = useMutationForm(
    update,
    { email: email ?? '' },
    { toInput: (values) => ({ email: values.email.trim() || null }) },
  );

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
      {email ? (
        <div className="email-status">
          <p>
            {email} is <strong>{verified ? 'confirmed' : 'not confirmed yet'}</strong>.
          </p>
          {verified ? null : (
            <>
              <MutationButton mutation={resend} label="Resend the link" pendingLabel="Sending…" />
              {resend.isSuccess ? <Notice kind="info">{messages.verificationSent}</Notice> : null}
              <Notice kind="error">{formErrorsOf(resend.error).form}</Notice>
            </>
          )}
        </div>
      ) : null}
      <form {...form}>
        <Field label="Email" type="email" autoComplete="email" {...field('email')} />
        <SubmitButton pending={update.isPending} label="Save email" pendingLabel="Saving…" />
      </form>
    </SettingsSection>
  );
}
