/**
 * JWT mode (README "The web app"): built with VITE_AUTH_MODE=jwt, the app
 * logs in for a JWT pair instead of an opaque token, sends the access token
 * as `Bearer`, and renews the pair before the access token runs out.
 */
export const JWT_MODE = import.meta.env.VITE_AUTH_MODE === 'jwt';

const MIN_RENEWAL_MS = 5_000;

/** A JWT pair as stored, with when to renew it by this browser's clock. */
export type StoredJwt = { refresh: string; access: string; renewAt: number };

/**
 * A pair as it will be stored (session.ts keeps one string): renewed once
 * four fifths of the access token's life have passed. Its life is read from
 * the token (`exp` − `iat`) but counted on this browser's clock from now,
 * so a clock that is off does not matter.
 */
export function storedJwt(pair: { refresh: string; access: string }): string {
  const { exp, iat } = claimsOf(pair.access);
  const lifeMs = (Number(exp) - Number(iat)) * 1000;
  // Never sooner than in a few seconds: a token whose times cannot be read
  // (or a tiny lifetime) must not cost a renewal per request.
  const renewIn = Number.isFinite(lifeMs) ? Math.max(lifeMs * 0.8, MIN_RENEWAL_MS) : 60_000;
  const renewAt = Date.now() + renewIn;
  return JSON.stringify({ refresh: pair.refresh, access: pair.access, renewAt });
}

/** The pair in a stored credential; null for an opaque token (stored as itself). */
export function readStoredJwt(stored: string): StoredJwt | null {
  if (!stored.startsWith('{')) return null;
  try {
    const value = JSON.parse(stored) as Partial<StoredJwt>;
    return typeof value.refresh === 'string' &&
      typeof value.access === 'string' &&
      typeof value.renewAt === 'number'
      ? (value as StoredJwt)
      : null;
  } catch {
    return null;
  }
}

/** The session a stored credential belongs to: a JWT pair's `sid`; an opaque token is its own. */
export function sessionOf(stored: string): string {
  const jwt = readStoredJwt(stored);
  if (!jwt) return stored;
  const { sid } = claimsOf(jwt.refresh);
  return typeof sid === 'string' ? `jwt:${sid}` : jwt.refresh;
}

/** A JWT's payload, unchecked: the server checks; the app only reads times and ids. */
function claimsOf(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}
