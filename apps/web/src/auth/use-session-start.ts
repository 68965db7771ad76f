import { trpc } from '../lib/trpc.ts';
import { JWT_MODE, storedJwt } from './jwt-credentials.ts';
import { startSession } from './session.ts';

/** The account as auth.me answers it, which login and signup answer too. */
type User = NonNullable<ReturnType<ReturnType<typeof trpc.useUtils>['auth']['me']['getData']>>;

/**
 * Starting a session from what the API answered: an opaque token, kept as
 * it is, or in JWT mode exchanged for a JWT pair with the same credentials
 * (signup and a password reset answer an opaque token), the token then
 * revoked. The account is put in the cache, so the dashboard shows it at once.
 */
export function useSessionStart() {
  const utils = trpc.useUtils();
  return async (
    answer: { token: string; user: User },
    credentials: { username: string; password: string },
  ) => {
    let stored = answer.token;
    if (JWT_MODE) {
      try {
        stored = storedJwt(await utils.client.jwt.create.mutate(credentials));
        await fetch('/trpc/auth.logout', {
          method: 'POST',
          headers: { authorization: `Token ${answer.token}` },
        });
      } catch {
        // No pair (a limit, the network): the opaque token works as well, and stays.
      }
    }
    startSession(stored);
    utils.auth.me.setData(undefined, answer.user);
  };
}

/** The login form's mutation: auth.login, or in JWT mode jwt.create (simplejwt's login). */
export function useLogin() {
  const utils = trpc.useUtils();
  const started = (stored: string, user: User) => {
    startSession(stored);
    utils.auth.me.setData(undefined, user);
  };
  const token = trpc.auth.login.useMutation({
    onSuccess: (data) => started(data.token, data.user),
  });
  const jwt = trpc.jwt.create.useMutation({
    onSuccess: (data) => started(storedJwt(data), data.user),
  });
  return JWT_MODE ? jwt : token;
}
