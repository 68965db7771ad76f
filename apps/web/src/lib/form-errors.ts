import { isApiError } from './api-error.ts';
import { humanMessage } from './human-message.ts';
import { messages } from './messages.ts';

export type FormErrors = {
  /** For the alert above the form. */
  form?: string;
  /** For the fields, by input name. */
  fields: Record<string, string | undefined>;
};

/**
 * Splits a failed API call into a form-level message and per-field
 * messages, in people's words (humanMessage): one per field, the first the API gives (it checks the most basic
 * first: an empty username is too short before it has bad characters). A
 * conflict ("that username is taken") belongs to `conflictField` when the
 * form names one.
 */
export function formErrorsOf(error: unknown, conflictField?: string): FormErrors {
  if (!error) return { fields: {} };
  if (!isApiError(error) || !error.data) return { form: messages.unreachable, fields: {} };
  const validation = error.data.zodError;
  if (validation) {
    const fields: Record<string, string | undefined> = {};
    for (const [name, errors] of Object.entries(validation.fieldErrors)) {
      const first = (errors as string[] | undefined)?.[0];
      fields[name] = first === undefined ? undefined : humanMessage(first, name);
    }
    const form =
      validation.formErrors.map((message) => humanMessage(message)).join(' ') || undefined;
    return { form, fields };
  }
  if (conflictField && error.data.code === 'CONFLICT') {
    return { fields: { [conflictField]: humanMessage(error.message, conflictField) } };
  }
  return { form: humanMessage(error.message), fields: {} };
}
