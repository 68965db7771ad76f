/** Every message the app itself (not the API) shows. */
export const messages = {
  sessionEnded: 'Your session has ended. Please log in again.',
  loggedOut: 'You have been logged out.',
  loggedOutElsewhere: 'You were logged out in another tab.',
  unreachable: 'We could not reach the server. Check your connection and try again.',
  accountUnavailable: 'We could not load your account.',
} as const;
