import { randomUUID } from 'node:crypto';
import { type Database, tokens, users } from '@tokenauth/db';
import { and, eq, gt, sql } from 'drizzle-orm';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Issue } from '../auth/login.ts';
import { hashToken, idleTimeoutOf, insertSession, tokenExpiresAt } from '../auth/token.ts';
import { toPublicUser } from '../auth/user.ts';
import type { VerifyResult } from '../auth/verify-token.ts';
import type { JwtConfig, TokenPolicy } from '../config.ts';
import type { JwtKeys } from './keys.ts';
import type { JwtLookups } from './lookups.ts';

/** What jwt/create/ and jwt/refresh/ answer, as simplejwt does. */
export type JwtPair = { refresh: string; access: string };

/**
 * What the API needs to issue and check JWTs: the configuration, its
 * prepared lookups, and the access tokens whose signature it checked.
 */
export type JwtService = JwtConfig & { lookups: JwtLookups; checked: CheckedTokens };

/**
 * Access tokens already checked, by their whole text (any change to a token
 * is another key), with their claims: a client sends the same access token
 * for minutes, and its signature, unlike its session and user, cannot
 * change. Checking a signature costs as much as the rest of a request, so
 * it is done once per token and process. Bounded: past `size` entries the
 * oldest go. Expiry is still checked at every use.
 */
export type CheckedTokens = Map<string, JwtClaims>;
const CHECKED_TOKENS = 5000;

export const checkedTokens = (): CheckedTokens => new Map();

function remember(checked: CheckedTokens, token: string, claims: JwtClaims): void {
  if (checked.size >= CHECKED_TOKENS) {
    const oldest = checked.keys().next();
    if (!oldest.done) checked.delete(oldest.value);
  }
  checked.set(token, claims);
}

/** simplejwt's claims, and `sid`: the session (a row of `tokens`) the token belongs to. */
const claimsSchema = z.object({
  token_type: z.enum(['access', 'refresh']),
  exp: z.number(),
  iat: z.number(),
  jti: z.string().min(1).max(64),
  user_id: z.uuid(),
  sid: z.uuid(),
});
export type JwtClaims = z.infer<typeof claimsSchema>;
type TokenType = JwtClaims['token_type'];

/** A token's id, as simplejwt makes it: a random UUID's 32 hex digits. */
const newJti = () => randomUUID().replaceAll('-', '');

/**
 * What a JWT session's row stores of its current refresh token: a hash of
 * its id, kept apart from opaque tokens' hashes by a prefix, so that the
 * id (readable in the token) is never a working opaque token.
 */
export const refreshKeyHash = (jti: string) => hashToken(`jwt-refresh:${jti}`);

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function sign(
  keys: JwtKeys,
  type: TokenType,
  subject: { userId: string; sessionId: string; jti: string },
  now: Date,
  lifetimeMs: number,
): Promise<string> {
  const { alg, kid, key } = keys.signing;
  return new SignJWT({ token_type: type, user_id: subject.userId, sid: subject.sessionId })
    .setProtectedHeader(kid === undefined ? { alg, typ: 'JWT' } : { alg, typ: 'JWT', kid })
    .setIssuedAt(seconds(now))
    .setExpirationTime(seconds(now) + Math.floor(lifetimeMs / 1000))
    .setJti(subject.jti)
    .sign(key);
}

function signPair(
  jwt: JwtConfig,
  userId: string,
  sessionId: string,
  refreshJti: string,
  now: Date,
): Promise<JwtPair> {
  return Promise.all([
    sign(jwt.keys, 'refresh', { userId, sessionId, jti: refreshJti }, now, jwt.refreshLifetimeMs),
    sign(jwt.keys, 'access', { userId, sessionId, jti: newJti() }, now, jwt.accessLifetimeMs),
  ]).then(([refresh, access]) => ({ refresh, access }));
}

export type JwtReading = { ok: true; claims: JwtClaims } | { ok: false; expired: boolean };

/**
 * Checks a JWT's signature (by the key its header names, or each key of its
 * algorithm), then its expiry and claims; of `type` if given. "Expired" is
 * said only of a token whose signature is ours.
 */
export async function readJwt(
  keys: JwtKeys,
  token: string,
  now: Date,
  type?: TokenType,
): Promise<JwtReading> {
  const invalid = { ok: false, expired: false } as const;
  let header: { alg?: string; kid?: string };
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return invalid;
  }
  const candidates = keys.verifying.filter(
    (key) => key.alg === header.alg && (header.kid === undefined || key.kid === header.kid),
  );
  for (const { alg, key } of candidates) {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [alg],
        currentDate: now,
        requiredClaims: ['exp', 'iat', 'jti'],
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success || (type && claims.data.token_type !== type)) return invalid;
      return { ok: true, claims: claims.data };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, expired: true };
      if (error instanceof errors.JOSEError) continue; // another key's signature, or none of ours
      throw error;
    }
  }
  return invalid;
}

/** Issues a JWT pair at login: a new session whose current refresh token is this one. */
export function jwtIssuer(jwt: JwtConfig): Issue<JwtPair> {
  return async (db, user, origin) => {
    const jti = newJti();
    const sessionId = await insertSession(db, user, origin, {
      kind: 'jwt',
      keyHash: refreshKeyHash(jti),
    });
    return signPair(jwt, user.id, sessionId, jti, origin.now);
  };
}

/**
 * Turns the opaque token that made the request into a JWT session, in
 * place: the same row (device, login time, generation), its key now a
 * refresh token's, so the opaque token stops working in the same statement.
 * What signup and a password reset answer (an opaque token) becomes a pair
 * without checking the password again. Null when the row is no opaque
 * token any more (revoked, exchanged already).
 */
export async function exchangeForJwt(
  deps: { db: Database; jwt: JwtConfig },
  auth: { user: { id: string }; tokenId: string },
  now: Date,
): Promise<JwtPair | null> {
  const jti = newJti();
  const exchanged = await deps.db
    .update(tokens)
    .set({ kind: 'jwt', keyHash: refreshKeyHash(jti), lastUsedAt: now })
    .where(
      and(eq(tokens.id, auth.tokenId), eq(tokens.userId, auth.user.id), eq(tokens.kind, 'token')),
    )
    .returning({ id: tokens.id });
  if (exchanged.length === 0) return null;
  return signPair(deps.jwt, auth.user.id, auth.tokenId, jti, now);
}

/**
 * A refresh token for a new pair (rotation), or null. Only the session's
 * current refresh token moves it on, in one conditional update, while the
 * session, its user and its generation are live. A refresh token we signed
 * that is no longer current was rotated already: someone is replaying it,
 * so the session ends, and with it every token of the family (OAuth 2.1's
 * reuse detection). Two refreshes racing with one token end it the same way.
 */
export async function refreshJwt(
  deps: { db: Database; jwt: JwtService; tokenPolicy: TokenPolicy },
  refreshToken: string,
  now: Date,
): Promise<JwtPair | null> {
  const { db, jwt, tokenPolicy } = deps;
  const reading = await readJwt(jwt.keys, refreshToken, now, 'refresh');
  if (!reading.ok) return null;
  const { sid, user_id, jti } = reading.claims;
  const next = newJti();
  const session = and(eq(tokens.id, sid), eq(tokens.userId, user_id), eq(tokens.kind, 'jwt'));
  const rotated = await db
    .update(tokens)
    .set({ keyHash: refreshKeyHash(next), lastUsedAt: now })
    .where(
      and(
        session,
        eq(tokens.keyHash, refreshKeyHash(jti)),
        gt(tokens.createdAt, new Date(now.getTime() - tokenPolicy.maxAgeMs)),
        gt(tokens.lastUsedAt, new Date(now.getTime() - idleTimeoutOf('jwt', tokenPolicy))),
        sql`exists (select 1 from ${users} where ${users.id} = ${tokens.userId} and ${users.isActive} and ${users.tokenGeneration} = ${tokens.generation})`,
      ),
    )
    .returning({ id: tokens.id });
  if (rotated.length === 0) {
    await db.delete(tokens).where(session);
    return null;
  }
  return signPair(jwt, user_id, sid, next, now);
}

/**
 * An access token sent in the Authorization header, resolved to its user:
 * by the user's row alone (no revocation check: a revoked session's access
 * tokens work until they expire), or with JWT_CHECK_REVOKED by its session
 * and user in one query.
 */
export async function verifyJwtAccess(
  deps: { jwt: JwtService; tokenPolicy: TokenPolicy },
  token: string,
  now: Date,
): Promise<VerifyResult> {
  const { checked } = deps.jwt;
  const known = checked.get(token);
  if (known) {
    return known.exp * 1000 > now.getTime()
      ? accessOwner(deps, known, now)
      : { ok: false, expired: true };
  }
  const reading = await readJwt(deps.jwt.keys, token, now, 'access');
  if (!reading.ok) return reading;
  remember(checked, token, reading.claims);
  return accessOwner(deps, reading.claims, now);
}

async function accessOwner(
  deps: { jwt: JwtService; tokenPolicy: TokenPolicy },
  { sid, user_id }: JwtClaims,
  now: Date,
): Promise<VerifyResult> {
  const { jwt, tokenPolicy } = deps;
  if (!jwt.checkRevoked) {
    const user = await jwt.lookups.user(user_id);
    return user
      ? { ok: true, auth: { user: toPublicUser(user), tokenId: sid } }
      : { ok: false, expired: false };
  }
  const session = await jwt.lookups.session(sid, user_id);
  if (!session || tokenExpiresAt({ ...session, kind: 'jwt' }, tokenPolicy) <= now) {
    return { ok: false, expired: false };
  }
  return { ok: true, auth: { user: toPublicUser(session.user), tokenId: sid } };
}

/**
 * jwt/verify/: whether a token would be accepted now. An access token as
 * the Authorization header is checked; a refresh token only while it is its
 * session's current one, in a live session. Nothing changes: a rotated
 * refresh token shown here is refused, not treated as reuse.
 */
export async function isJwtValid(
  deps: { jwt: JwtService; tokenPolicy: TokenPolicy },
  token: string,
  now: Date,
): Promise<boolean> {
  const reading = await readJwt(deps.jwt.keys, token, now);
  if (!reading.ok) return false;
  if (reading.claims.token_type === 'access') {
    return (await accessOwner(deps, reading.claims, now)).ok;
  }
  const { sid, user_id, jti } = reading.claims;
  const session = await deps.jwt.lookups.session(sid, user_id);
  return (
    session !== undefined &&
    session.keyHash === refreshKeyHash(jti) &&
    tokenExpiresAt({ ...session, kind: 'jwt' }, deps.tokenPolicy) > now
  );
}
