import { readToken } from '../lib/token-storage.ts';
import { readStoredJwt, sessionOf, storedJwt } from './jwt-credentials.ts';
import { endSession, getToken, renewSession } from './session.ts';

let renewing: Promise<void> | null = null;

/**
 * The Authorization header for the next request: `Token <key>`, or for a
 * JWT pair `Bearer <access>`, renewed first when it is due. One renewal at
 * a time, in every tab: a refresh token sent twice ends the session (reuse
 * detection), so tabs take turns under a Web Lock and a tab that waited
 * uses the pair the other one stored.
 */
export async function authorizationHeader(): Promise<string | undefined> {
  const stored = getToken();
  if (stored === null) return undefined;
  const jwt = readStoredJwt(stored);
  if (!jwt) return `Token ${stored}`;
  if (Date.now() >= jwt.renewAt) {
    renewing ??= inTurn(renew).finally(() => {
      renewing = null;
    });
    await renewing;
  }
  const current = getToken();
  const renewed = current === null ? null : readStoredJwt(current);
  return renewed ? `Bearer ${renewed.access}` : undefined;
}

/** Runs `task` alone across this origin's tabs, where the browser can tell (Web Locks). */
function inTurn(task: () => Promise<void>): Promise<void> {
  return navigator.locks ? navigator.locks.request('tokenauth.jwt-renewal', task) : task();
}

async function renew(): Promise<void> {
  // Read from storage under the lock, not this tab's copy: another tab may
  // have renewed meanwhile, and its storage event may not have arrived yet.
  const stored = readToken();
  const jwt = stored === null ? null : readStoredJwt(stored);
  if (stored === null || !jwt) return;
  if (Date.now() < jwt.renewAt) {
    renewSession(stored); // renewed by another tab: use its pair
    return;
  }
  let response: Response;
  try {
    response = await fetch('/trpc/jwt.refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh: jwt.refresh }),
      signal: AbortSignal.timeout(RENEWAL_TIMEOUT_MS),
    });
  } catch {
    return; // Offline or no answer: the request goes out with the current access token.
  }
  // Logged out, or into another session, while the answer was on its way: leave that be.
  const now = readToken();
  if (now === null || sessionOf(now) !== sessionOf(stored)) return;
  if (response.ok) {
    const body = (await response.json()) as {
      result: { data: { refresh: string; access: string } };
    };
    renewSession(storedJwt(body.result.data));
  } else if (response.status === 401) {
    // Revoked, ended elsewhere or expired: as any 401 to a session.
    endSession('expired');
  }
}

/** How long a renewal may take before the request goes out without it. */
const RENEWAL_TIMEOUT_MS = 10_000;
