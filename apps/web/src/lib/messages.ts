/** Every message the app itself (not the API) shows. */
export const messages = {
  sessionEnded: 'Your session has ended. Please log in again.',
  loggedOut: 'You have been logged out.',
  loggedOutElsewhere: 'You were logged out in another tab.',
  loggedOutEverywhere: 'You have been logged out on every device.',
  accountDeleted: 'Your account has been deleted.',
  passwordChanged: 'Your password has been changed. Your other sessions were logged out.',
  usernameChanged: 'Your username has been changed.',
  emailSaved:
    'Your email address has been saved. We sent a link to it: follow it to confirm the address.',
  verificationSent: 'We sent a new link. Follow it to confirm your address.',
  verificationResent: 'If this address waits to be confirmed, we sent a new link to it.',
  resetLinkSent:
    'If an account matches, we sent a link to its email address. Follow it to choose a new password.',
  reminderSent: 'If an account has this email address, we sent its username there.',
  passwordReset:
    'Your password has been changed. Every session of your account was logged out, and you are now logged in here.',
  emailVerified: 'Your email address is confirmed.',
  activationSent: (email: string) =>
    `Almost done: we sent a link to ${email}. Follow it to activate your account, then log in.`,
  usernameReset: 'Your username has been changed. Log in with it from now on.',
  emailRemoved: 'Your email address has been removed.',
  sessionRevoked: 'That session has been logged out.',
  sessionsUnavailable: 'We could not load your sessions.',
  unreachable: 'We could not reach the server. Check your connection and try again.',
  accountUnavailable: 'We could not load your account.',
  /**
   * The characters listed are joined by no-break spaces (and a word joiner
   * after the hyphen, which a line may otherwise break after): a narrow
   * screen never leaves one alone on a line.
   */
  usernameHint: '3 to 150 characters: letters, digits and @\u00a0.\u00a0+\u00a0-\u2060\u00a0_',
  /**
   * The hint under a new password; the limits are the server's. Until they are
   * known, "…" holds their place, so the hint keeps its length and nothing moves.
   */
  newPasswordHint: (policy: { minLength: number; maxBytes: number } | undefined) =>
    `${policy?.minLength ?? '…'} to ${policy?.maxBytes ?? '…'} characters (fewer with accents or emoji), not a common password, not like your username.`,
} as const;
