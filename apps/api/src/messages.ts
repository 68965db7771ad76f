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
  tokenNotFound: 'Token not found.',

  // Field validation
  required: 'This field is required.',
  blank: 'This field may not be blank.',
  notAString: 'Must be a string.',
  invalidCharacters: 'This field may not contain control characters or malformed Unicode.',
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
  incompleteBody: 'The request body ended before its announced length.',
  notJson: 'Send the request body as JSON, with Content-Type: application/json.',

  // Limits
  tooManyAttempts: (seconds: number) => `Too many attempts. Try again in ${humanize(seconds)}.`,
  payloadTooLarge: (limit: number) =>
    `The request body is too large: at most ${Math.floor(limit / 1024)} KiB is accepted.`,

  // Anything else
  notFound: 'Not found.',
  clientGone: 'The client went away.',
  internal: 'Something went wrong on our side. Please try again later.',
  databaseUnavailable: 'The database is unavailable. Please try again later.',
} as const;

/** The keys of the fixed messages (the others are functions of a value). */
export type MessageKey = {
  [K in keyof typeof messages]: (typeof messages)[K] extends string ? K : never;
}[keyof typeof messages];

/** "45 seconds", "15 minutes", "2 hours". */
function humanize(seconds: number): string {
  const [value, unit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3600
        ? [Math.ceil(seconds / 60), 'minute']
        : [Math.ceil(seconds / 3600), 'hour'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}
