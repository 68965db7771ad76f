import { readStoredToken } from '../lib/token-storage.ts';
import { readStoredJwt, sessionOf, storedJwt } from './jwt-credentials.ts';
import { endSession, getToken, renewSession } from './session.ts';

/** How long a request waits for a renewal before it goes out with the access token it has. */
const RENEWAL_WAIT_MS = 10_000;

let renewing: Promise<void> | null = null;

/**
 * The Authorization header for the next request: `Token <key>`, or for a
 * JWT pair `Bearer <access>`, renewed first when it is due. One renewal at
 * a time, in every tab: a refresh token sent twice ends the session (reuse
 * detection), so tabs take turns under a Web Lock and a tab that waited
 * uses the pair the other one stored.
 */
export async function authorizationHeader(): Promise<string | undefined> {
  const jwt = readStoredJwt(getToken() ?? '');
  if (jwt && Date.now() >= jwt.renewAt) {
    renewing ??= inTurn(renew).finally(() => {
      renewing = null;
    });
    // A slow renewal goes on (its answer is kept); the request does not wait for ever.
    await Promise.race([renewing, new Promise((done) => setTimeout(done, RENEWAL_WAIT_MS))]);
  }
  return headerFor(getToken());
}

function headerFor(stored: string | null): string | undefined {
  if (stored === null) return undefined;
  const jwt = readStoredJwt(stored);
  return jwt ? `Bearer ${jwt.access}` : `Token ${stored}`;
}

/**
 * Runs `task` alone across this origin's tabs where the browser can tell
 * (Web Locks: HTTPS or localhost); elsewhere tabs may renew at once, and
 * one of them then ends the session.
 */
function inTurn(task: () => Promise<void>): Promise<void> {
  return navigator.locks ? navigator.locks.request('tokenauth.jwt-renewal', task) : task();
}

/**
 * The freshest copy of this tab's session: storage (another tab may have
 * renewed it, its storage event not arrived yet), or this tab's own when
 * storage cannot be read; null if it ended or another one started (that
 * tab's storage event tells this one).
 */
function currentPair(session: string) {
  const stored = readStoredToken();
  const latest = stored === undefined ? getToken() : stored;
  return latest !== null && sessionOf(latest) === session ? latest : null;
}

async function renew(): Promise<void> {
  const mine = getToken();
  if (mine === null) return;
  const session = sessionOf(mine);
  const stored = currentPair(session);
  const jwt = stored === null ? null : readStoredJwt(stored);
  if (stored === null || !jwt) return;
  if (Date.now() < jwt.renewAt) {
    renewSession(stored); // renewed by another tab: use its pair
    return;
  }
  let next: string | null = null;
  let refused = false;
  try {
    // Never aborted: the server may rotate the pair whatever we do, and its answer must be kept.
    const response = await fetch('/trpc/jwt.refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh: jwt.refresh }),
    });
    refused = response.status === 401;
    if (response.ok) {
      const body = (await response.json()) as {
        result: { data: { refresh: string; access: string } };
      };
      next = storedJwt(body.result.data);
    }
  } catch {
    return; // Offline: the request goes out with the current access token.
  }
  // Logged out, or into another session, while the answer was on its way: leave that be.
  if (currentPair(session) === null) return;
  if (next !== null) renewSession(next);
  // Revoked, ended elsewhere or expired: as any 401 to a session.
  else if (refused) endSession('expired');
}
