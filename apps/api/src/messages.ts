/**
 * Every message a client can see, in one place. Where Django, DRF or Djoser
 * have a message for the same thing, it is theirs, word for word, so clients
 * written against them read the same on either face.
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

  // JSON Web Tokens (simplejwt's words)
  noActiveAccount: 'No active account found with the given credentials',
  jwtInvalid: 'Token is invalid or expired',
  jwtNotValidForAnyType: 'Given token not valid for any token type',
  jwtOff: 'JSON Web Tokens are not enabled on this server.',

  // Credentials
  invalidCredentials: 'Unable to log in with provided credentials.',
  usernameTaken: 'A user with that username already exists.',
  wrongPassword: 'Invalid password.',
  tokenNotFound: 'Token not found.',

  // Emailed links
  invalidLink: 'This link is invalid or has expired.',
  invalidUid: "Invalid user id or user doesn't exist.",
  invalidLinkToken: 'Invalid token for given user.',
  staleLinkToken: 'Stale token for given user.',
  emailAlreadyVerified: 'Your email address is already verified.',
  noEmail: 'Add an email address first.',

  // Field validation
  required: 'This field is required.',
  blank: 'This field may not be blank.',
  notAString: 'Not a valid string.',
  invalidCharacters: 'This field may not contain control characters or malformed Unicode.',
  usernameTooShort: 'Ensure this field has at least 3 characters.',
  usernameTooLong: 'Ensure this field has no more than 150 characters.',
  tooLong: (max: number) => `Ensure this field has no more than ${max} characters.`,
  usernameCharacters:
    'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
  passwordTooShort: (min: number) =>
    `This password is too short. It must contain at least ${min} characters.`,
  passwordTooLong:
    'This password is too long: use at most 72 characters, fewer if it has accents or emoji.',
  passwordNumeric: 'This password is entirely numeric.',
  passwordCommon: 'This password is too common.',
  passwordSimilar: (to: string) => `The password is too similar to the ${to}.`,
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
  permissionDenied: 'You do not have permission to perform this action.',
  notAcceptable: 'Could not satisfy the request Accept header.',
  methodNotAllowed: (method: string) => `Method "${method}" not allowed.`,
  unsupportedMediaType: (type: string) => `Unsupported media type "${type}" in request.`,
  throttled: (seconds: number) =>
    `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
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
