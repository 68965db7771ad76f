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

/** When a token stops working: after its idle timeout or its maximum age, whichever is first. */
export function tokenExpiresAt(
  token: { createdAt: Date; lastUsedAt: Date },
  policy: TokenPolicy,
): Date {
  return new Date(
    Math.min(
      token.createdAt.getTime() + policy.maxAgeMs,
      token.lastUsedAt.getTime() + policy.idleTimeoutMs,
    ),
  );
}

export type TokenOrigin = { userAgent?: string | undefined; ip?: string | undefined; now: Date };

/**
 * Issues a new token for the user; the returned key is shown once and never
 * stored. `user.tokenGeneration` is the one read before the password was
 * checked: if the user's tokens were all revoked since, this one is born
 * revoked too (schema.ts).
 */
export async function createToken(
  db: Database,
  user: { id: string; tokenGeneration: number },
  origin: TokenOrigin,
): Promise<string> {
  const key = generateToken();
  await db.insert(tokens).values({
    userId: user.id,
    generation: user.tokenGeneration,
    keyHash: hashToken(key),
    createdAt: origin.now,
    lastUsedAt: origin.now,
    userAgent: origin.userAgent ?? null,
    ip: origin.ip ?? null,
  });
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
