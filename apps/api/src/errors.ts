import { TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';

/**
 * Every message a client can see, in one place. The authentication messages
 * are Django REST Framework's, so clients written against DRF read the same.
 */
export const messages = {
  // Authorization header (401)
  notAuthenticated: 'Authentication credentials were not provided.',
  invalidToken: 'Invalid token.',
  tokenExpired: 'Token has expired.',
  tokenHeaderNoCredentials: 'Invalid token header. No credentials provided.',
  tokenHeaderSpaces: 'Invalid token header. Token string should not contain spaces.',
  tokenHeaderInvalidCharacters:
    'Invalid token header. Token string should not contain invalid characters.',

  // Credentials
  invalidCredentials: 'Unable to log in with provided credentials.',
  usernameTaken: 'A user with that username already exists.',
  wrongPassword: 'Your current password is incorrect.',
  sessionNotFound: 'Session not found.',

  // Field validation
  required: 'This field is required.',
  notAString: 'Must be a string.',
  usernameTooShort: 'Username must be at least 3 characters.',
  usernameTooLong: 'Username must be at most 150 characters.',
  usernameCharacters: 'Username may contain only letters, digits and @ . + - _ characters.',
  passwordTooShort: 'Password must be at least 8 characters.',
  passwordTooLong: 'Password must be at most 72 bytes (UTF-8); shorten it.',
  emailInvalid: 'Enter a valid email address.',
  invalidId: 'Not a valid id.',
  invalidInput: 'Invalid input.',
  malformedJson: 'The request body is not valid JSON.',

  // Anything else
  notFound: 'Not found.',
  internal: 'Something went wrong on our side. Please try again later.',
  databaseUnavailable: 'The database is unavailable. Please try again later.',
} as const;

export type MessageKey = keyof typeof messages;

export function unauthorized(key: MessageKey): TRPCError {
  return new TRPCError({ code: 'UNAUTHORIZED', message: messages[key] });
}

/** The cause of a 400 about one field that schema validation could not judge. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A 400 that names one field, shaped like input validation errors for clients. */
export function fieldError(field: string, key: MessageKey): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: messages[key],
    cause: new FieldError(field, messages[key]),
  });
}

export type ValidationErrors = { formErrors: string[]; fieldErrors: Record<string, string[]> };

/** The per-field messages behind a 400, or null when it is not about fields. */
export function validationErrorsOf(error: TRPCError): ValidationErrors | null {
  if (error.cause instanceof ZodError) {
    const { formErrors, fieldErrors } = z.flattenError(error.cause);
    return { formErrors, fieldErrors: fieldErrors as Record<string, string[]> };
  }
  if (error.cause instanceof FieldError) {
    return { formErrors: [], fieldErrors: { [error.cause.field]: [error.cause.message] } };
  }
  return null;
}
