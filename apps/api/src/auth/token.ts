import { createHash, randomBytes } from 'node:crypto';
import { type Database, tokens, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { type PublicUser, toPublicUser } from './user.ts';

/** 32 bytes from the CSPRNG: 256 bits, as 43 base64url characters. */
const TOKEN_BYTES = 32;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Only this hash is stored, so a copy of the database holds no usable token.
 * A fast hash is enough: the token has 256 bits of entropy, unlike a password.
 * Lookups go through a unique index on the hash; that index comparison cannot
 * leak anything useful through timing, because an attacker cannot choose
 * SHA-256 outputs to probe it byte by byte, so no separate constant-time
 * comparison is needed.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Issues a new token for the user; the returned key is shown once and never stored. */
export async function createToken(db: Database, userId: string): Promise<string> {
  const key = generateToken();
  await db.insert(tokens).values({ userId, keyHash: hashToken(key) });
  return key;
}

export type Authenticated = { user: PublicUser; tokenId: string };

/** One indexed query: the token's user, or null for an unknown or revoked key. */
export async function verifyToken(db: Database, key: string): Promise<Authenticated | null> {
  if (!TOKEN_FORMAT.test(key)) return null;
  const [row] = await db
    .select({ tokenId: tokens.id, user: users })
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .where(eq(tokens.keyHash, hashToken(key)))
    .limit(1);
  return row ? { user: toPublicUser(row.user), tokenId: row.tokenId } : null;
}

/** Revokes one token; false when it was already gone (a concurrent logout won). */
export async function revokeToken(db: Database, tokenId: string): Promise<boolean> {
  const deleted = await db
    .delete(tokens)
    .where(eq(tokens.id, tokenId))
    .returning({ id: tokens.id });
  return deleted.length > 0;
}
