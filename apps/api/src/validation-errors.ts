import type { TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { FieldError } from './errors.ts';
import { messages } from './messages.ts';

export type ValidationErrors = { formErrors: string[]; fieldErrors: Record<string, string[]> };

/** The per-field messages behind a 400, or null when it is not about fields. */
export function validationErrorsOf(error: TRPCError): ValidationErrors | null {
  if (error.cause instanceof ZodError) {
    // A value of the wrong type gets that one message: zod still runs length
    // checks on an array given for a string ("This field is required." for []).
    const mistyped = new Set(
      error.cause.issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.join('.')),
    );
    const issues = error.cause.issues
      .filter((i) => i.code === 'invalid_type' || !mistyped.has(i.path.join('.')))
      // Every input is an object: anything else (null, a string, no body) is
      // told so in our words, not zod's "expected object, received string".
      .map((i) =>
        i.code === 'invalid_type' && i.path.length === 0
          ? { ...i, message: messages.notAnObject }
          : i,
      );
    const { formErrors, fieldErrors } = z.flattenError(new ZodError(issues));
    return { formErrors, fieldErrors: fieldErrors as Record<string, string[]> };
  }
  if (error.cause instanceof FieldError) {
    return { formErrors: [], fieldErrors: { [error.cause.field]: error.cause.problems } };
  }
  return null;
}
