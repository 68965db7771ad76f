/**
 * The API answers in DRF's and Django's words, which its other clients
 * expect ("Ensure this field has at least 3 characters."); people using the
 * app read these instead. Every message the API can give a form is here;
 * one not listed (a new one, a rate limit's "Try again in 15 minutes")
 * passes through unchanged, already written for people.
 */
export function humanMessage(message: string, field?: string): string {
  if (message === 'This field may not be blank.' || message === 'This field is required.') {
    return (field && emptyField[field]) ?? 'Fill this in.';
  }
  for (const [pattern, human] of patterns) {
    const match = pattern.exec(message);
    if (match) return human(match[1] ?? '');
  }
  return fixed[message] ?? message;
}

/** What to say of each field left empty. */
const emptyField: Record<string, string> = {
  username: 'Enter a username.',
  newUsername: 'Enter the new username.',
  password: 'Enter a password.',
  currentPassword: 'Enter your current password.',
  newPassword: 'Enter a new password.',
  email: 'Enter an email address.',
  login: 'Enter your username or email address.',
};

const fixed: Record<string, string> = {
  'Unable to log in with provided credentials.':
    'That username and password do not match. Check both and try again.',
  // simplejwt's words for the same (JWT mode's login).
  'No active account found with the given credentials':
    'That username and password do not match. Check both and try again.',
  'Invalid password.': 'That is not your current password.',
  'A user with that username already exists.': 'That username is taken. Try another.',
  'Ensure this field has at least 3 characters.': 'Use at least 3 characters.',
  'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.':
    'Use only letters, digits and @ . + - _ (no spaces).',
  'This password is entirely numeric.': 'Use more than digits.',
  'This password is too common.': 'This password is one of the most common: choose another.',
  'This field may not contain control characters or malformed Unicode.':
    'Remove the invisible or broken characters.',
};

const patterns: Array<[RegExp, (value: string) => string]> = [
  [
    /^Ensure this field has no more than (\d+) characters\.$/,
    (n) => `Use at most ${n} characters.`,
  ],
  [
    /^This password is too short\. It must contain at least (\d+) characters\.$/,
    (n) => `Use at least ${n} characters.`,
  ],
  [
    /^The password is too similar to the (.+)\.$/,
    (to) => `This password is too much like your ${to}.`,
  ],
];
