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
  passwordTooShort: (min: number) =>
    `This password is too short. It must have at least ${min} characters.`,
  passwordTooLong: 'This password is too long. It must be at most 72 bytes (UTF-8).',
  passwordNumeric: 'This password is entirely numeric.',
  passwordCommon: 'This password is too common.',
  passwordSimilar: (to: string) => `This password is too similar to your ${to}.`,
  emailInvalid: 'Enter a valid email address.',
  invalidId: 'Not a valid id.',
  invalidInput: 'Invalid input.',
  notAnObject: 'Send a JSON object with the fields this procedure takes.',
  malformedJson: 'The request body is not valid JSON.',
  notJson: 'Send the request body as JSON, with Content-Type: application/json.',

  // Anything else
  notFound: 'Not found.',
  payloadTooLarge: (limit: number) =>
    `The request body is too large: at most ${Math.floor(limit / 1024)} KiB is accepted.`,
  internal: 'Something went wrong on our side. Please try again later.',
  databaseUnavailable: 'The database is unavailable. Please try again later.',
} as const;

/** The keys of the fixed messages (the others are functions of a value). */
export type MessageKey = {
  [K in keyof typeof messages]: (typeof messages)[K] extends string ? K : never;
}[keyof typeof messages];

export function unauthorized(key: MessageKey): TRPCError {
  return new TRPCError({ code: 'UNAUTHORIZED', message: messages[key] });
}

/** The cause of a 429: how long until the client may try again. */
export class RetryAfter extends Error {
  constructor(readonly seconds: number) {
    super(`retry after ${seconds} s`);
  }
}

/** "45 seconds", "15 minutes", "2 hours". */
function humanizeSeconds(seconds: number): string {
  const [value, unit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3600
        ? [Math.ceil(seconds / 60), 'minute']
        : [Math.ceil(seconds / 3600), 'hour'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/** 429, with a message that says when to retry; the server adds Retry-After. */
export function tooManyRequests(retryAfterSeconds: number): TRPCError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `Too many attempts. Try again in ${humanizeSeconds(seconds)}.`,
    cause: new RetryAfter(seconds),
  });
}

/** The headers an error answer carries: WWW-Authenticate on a 401 (as DRF), Retry-After on a 429. */
export function errorHeaders(errors: TRPCError[]): Record<string, string> {
  const headers: Record<string, string> = {};
  if (errors.some((error) => error.code === 'UNAUTHORIZED')) headers['www-authenticate'] = 'Token';
  const waits = errors.flatMap((e) => (e.cause instanceof RetryAfter ? [e.cause.seconds] : []));
  if (waits.length > 0) headers['retry-after'] = String(Math.max(...waits));
  return headers;
}

/** The cause of a 400 about one field that schema validation could not judge. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly problems: string[],
  ) {
    super(problems.join(' '));
  }
}

/** A 400 that names one field, shaped like input validation errors for clients. */
export function fieldError(field: string, ...problems: string[]): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: problems.join(' '),
    cause: new FieldError(field, problems),
  });
}

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
