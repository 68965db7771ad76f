import { isApiError } from './api-error.ts';
import { messages } from './messages.ts';

export type FormErrors = {
  /** For the alert above the form. */
  form?: string;
  /** For the fields, by input name. */
  fields: Record<string, string | undefined>;
};

/** Splits a failed API call into a form-level message and per-field messages. */
export function formErrorsOf(error: unknown): FormErrors {
  if (!error) return { fields: {} };
  if (!isApiError(error) || !error.data) return { form: messages.unreachable, fields: {} };
  const validation = error.data.zodError;
  if (validation) {
    const fields: Record<string, string | undefined> = {};
    for (const [name, errors] of Object.entries(validation.fieldErrors)) {
      fields[name] = (errors as string[] | undefined)?.join(' ');
    }
    const form = validation.formErrors.join(' ') || undefined;
    return { form, fields };
  }
  return { form: error.message, fields: {} };
}
