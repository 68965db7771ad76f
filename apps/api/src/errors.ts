import { TRPCError } from '@trpc/server';

/**
 * Every message a client can see, in one place. The authentication messages
 * are Django REST Framework's, so clients written against DRF read the same.
 */
export const messages = {
  // Authorization header (401)
  notAuthenticated: 'Authentication credentials were not provided.',
  invalidToken: 'Invalid token.',
  tokenHeaderNoCredentials: 'Invalid token header. No credentials provided.',
  tokenHeaderSpaces: 'Invalid token header. Token string should not contain spaces.',
  tokenHeaderInvalidCharacters:
    'Invalid token header. Token string should not contain invalid characters.',

  // Credentials
  invalidCredentials: 'Unable to log in with provided credentials.',
  usernameTaken: 'A user with that username already exists.',

  // Field validation
  required: 'This field is required.',
  notAString: 'Must be a string.',
  usernameTooShort: 'Username must be at least 3 characters.',
  usernameTooLong: 'Username must be at most 150 characters.',
  usernameCharacters: 'Username may contain only letters, digits and @ . + - _ characters.',
  passwordTooShort: 'Password must be at least 8 characters.',
  passwordTooLong: 'Password must be at most 72 bytes (UTF-8); shorten it.',
  emailInvalid: 'Enter a valid email address.',
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
