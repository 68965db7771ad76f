import { trpc, type User } from '../lib/trpc.ts';
import { JWT_MODE, storedJwt } from './jwt-credentials.ts';
import { startSession } from './session.ts';

/**
 * Starting a session from what the API answered: an opaque token, kept as
 * it is, or in JWT mode exchanged for a JWT pair of the same session
 * (signup and a password reset answer an opaque token). The account is put
 * in the cache, so the dashboard shows it at once.
 */
export function useSessionStart() {
  const utils = trpc.useUtils();
  return async (answer: { token: string; user: User }) => {
    startSession(JWT_MODE ? await exchanged(answer.token) : answer.token);
    utils.auth.me.setData(undefined, answer.user);
  };
}

/** The pair for an opaque token, or the token itself if the exchange fails (it works as well). */
async function exchanged(token: string): Promise<string> {
  try {
    // The session has not started: the token goes in this one request's header.
    const response = await fetch('/trpc/jwt.exchange', {
      method: 'POST',
      headers: { authorization: `Token ${token}` },
    });
    if (!response.ok) return token;
    const body = (await response.json()) as {
      result: { data: { refresh: string; access: string } };
    };
    return storedJwt(body.result.data);
  } catch {
    return token;
  }
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
