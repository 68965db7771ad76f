import { hash, randomBytes } from 'node:crypto';
import { type Database, tokens } from '@tokenauth/db';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { TokenPolicy } from '../config.ts';

/** 32 bytes from the CSPRNG: 256 bits, as 43 base64url characters. */
const TOKEN_BYTES = 32;
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
/** A DRF token imported from Django: 20 random bytes in lower-case hex. */
export const DRF_TOKEN_FORMAT = /^[0-9a-f]{40}$/;

/** Whether `key` can be an API token: one of ours, or one imported from DRF. */
export const isApiTokenFormat = (key: string) =>
  TOKEN_FORMAT.test(key) || DRF_TOKEN_FORMAT.test(key);

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Only this hash is stored, so a copy of the database holds no usable token.
 * A fast hash is enough: the token has 256 bits of entropy, unlike a password.
 * Lookups go through a unique index on the hash; that index comparison cannot
 * leak anything useful through timing, because an attacker cannot choose
 * SHA-256 outputs to probe it byte by byte, so no separate constant-time
 * comparison is needed (docs/decisions/0001).
 */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex'); // one-shot: no Hash object per request
}

/** What `tokens.kind` holds: an opaque token, or a JWT session (schema.ts). */
export type SessionKind = 'token' | 'jwt';

/**
 * When a token or JWT session stops working: after its idle timeout or its
 * maximum age, whichever is first. A JWT session is idle once its refresh
 * token has expired unused.
 */
export function tokenExpiresAt(
  token: { createdAt: Date; lastUsedAt: Date; kind?: string },
  policy: TokenPolicy,
): Date {
  return new Date(
    Math.min(
      token.createdAt.getTime() + policy.maxAgeMs,
      token.lastUsedAt.getTime() + idleTimeoutOf(token.kind, policy),
    ),
  );
}

/** How long a session may go unused: a JWT session, no longer than its refresh token lives. */
export const idleTimeoutOf = (kind: string | undefined, policy: TokenPolicy) =>
  kind === 'jwt' ? Math.min(policy.idleTimeoutMs, policy.jwtIdleTimeoutMs) : policy.idleTimeoutMs;

export type TokenOrigin = { userAgent?: string | undefined; ip?: string | undefined; now: Date };

/** A user as a login or signup read them: the generation new sessions are issued under. */
export type SessionOwner = { id: string; tokenGeneration: number };

/**
 * Starts a session (one row of `tokens`) for the user, found later by
 * `keyHash`; returns its id. `user.tokenGeneration` is the one read before
 * the password was checked: if the user's tokens were all revoked since,
 * this one is born revoked too (schema.ts).
 */
export async function insertSession(
  db: Database,
  user: SessionOwner,
  origin: TokenOrigin,
  credential: { kind: SessionKind; keyHash: string },
): Promise<string> {
  const [row] = await db
    .insert(tokens)
    .values({
      userId: user.id,
      generation: user.tokenGeneration,
      keyHash: credential.keyHash,
      kind: credential.kind,
      createdAt: origin.now,
      lastUsedAt: origin.now,
      userAgent: origin.userAgent ?? null,
      ip: origin.ip ?? null,
    })
    .returning({ id: tokens.id });
  if (!row) throw new Error('insert into tokens returned no row');
  return row.id;
}

/** Issues a new opaque token for the user; the returned key is shown once and never stored. */
export async function createToken(
  db: Database,
  user: SessionOwner,
  origin: TokenOrigin,
): Promise<string> {
  const key = generateToken();
  await insertSession(db, user, origin, { kind: 'token', keyHash: hashToken(key) });
  return key;
}

/**
 * Revokes the user's oldest tokens past `limit` (the most recently issued
 * stay): without a cap, every login adds a row for good.
 */
export async function capTokens(db: Database, userId: string, limit: number): Promise<void> {
  const surplus = db
    .select({ id: tokens.id })
    .from(tokens)
    .where(eq(tokens.userId, userId))
    .orderBy(desc(tokens.createdAt), desc(tokens.id))
    .offset(limit);
  await db.delete(tokens).where(and(eq(tokens.userId, userId), inArray(tokens.id, surplus)));
}
