import { hash, randomBytes } from 'node:crypto';
import { type Database, tokens, users } from '@tokenauth/db';
import { eq, sql } from 'drizzle-orm';
import { env } from '../env.ts';
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
 * comparison is needed (docs/decisions/0001).
 */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex'); // one-shot: no Hash object per request
}

export type TokenPolicy = { idleTimeoutMs: number; maxAgeMs: number; touchIntervalMs: number };

export const tokenPolicy: TokenPolicy = {
  idleTimeoutMs: env.TOKEN_IDLE_TIMEOUT,
  maxAgeMs: env.TOKEN_MAX_AGE,
  touchIntervalMs: env.TOKEN_TOUCH_INTERVAL,
};

/** When a token stops working: after its idle timeout or its maximum age, whichever is first. */
export function tokenExpiresAt(
  token: { createdAt: Date; lastUsedAt: Date },
  policy: TokenPolicy = tokenPolicy,
): Date {
  return new Date(
    Math.min(
      token.createdAt.getTime() + policy.maxAgeMs,
      token.lastUsedAt.getTime() + policy.idleTimeoutMs,
    ),
  );
}

export type TokenOrigin = { userAgent?: string | undefined; ip?: string | undefined; now: Date };

/** Issues a new token for the user; the returned key is shown once and never stored. */
export async function createToken(
  db: Database,
  userId: string,
  origin: TokenOrigin,
): Promise<string> {
  const key = generateToken();
  await db.insert(tokens).values({
    userId,
    keyHash: hashToken(key),
    createdAt: origin.now,
    lastUsedAt: origin.now,
    userAgent: origin.userAgent ?? null,
    ip: origin.ip ?? null,
  });
  return key;
}

/**
 * The token lookup, built once per database: drizzle then skips assembling
 * the SQL on every request, and the driver reuses its prepared statement.
 */
function buildLookup(db: Database) {
  return (
    db
      .select({
        tokenId: tokens.id,
        createdAt: tokens.createdAt,
        lastUsedAt: tokens.lastUsedAt,
        // What the procedures need, never the password hash: a shorter query
        // and row on the path every protected call takes.
        user: {
          id: users.id,
          username: users.username,
          email: users.email,
          createdAt: users.createdAt,
        },
      })
      .from(tokens)
      .innerJoin(users, eq(users.id, tokens.userId))
      // key_hash is unique: at most one row, no LIMIT (nor its parameter) needed.
      .where(eq(tokens.keyHash, sql.placeholder('keyHash')))
      .prepare('verify_token')
  );
}

const lookups = new WeakMap<Database, ReturnType<typeof buildLookup>>();

function lookupQuery(db: Database) {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = buildLookup(db);
    lookups.set(db, lookup);
  }
  return lookup;
}

export type Authenticated = { user: PublicUser; tokenId: string };
export type VerifyResult = { ok: true; auth: Authenticated } | { ok: false; expired: boolean };

/**
 * Resolves a key to its user in one indexed query. An expired token is deleted
 * and reported as such; a live one has its last-used time moved forward, but
 * at most once per touch interval, so most checks write nothing.
 */
export async function verifyToken(db: Database, key: string, now: Date): Promise<VerifyResult> {
  if (!TOKEN_FORMAT.test(key)) return { ok: false, expired: false };
  const [row] = await lookupQuery(db).execute({ keyHash: hashToken(key) });
  if (!row) return { ok: false, expired: false };

  if (tokenExpiresAt(row) <= now) {
    await db.delete(tokens).where(eq(tokens.id, row.tokenId));
    return { ok: false, expired: true };
  }
  if (now.getTime() - row.lastUsedAt.getTime() >= tokenPolicy.touchIntervalMs) {
    await db.update(tokens).set({ lastUsedAt: now }).where(eq(tokens.id, row.tokenId));
  }
  return { ok: true, auth: { user: toPublicUser(row.user), tokenId: row.tokenId } };
}

/** Revokes one token; false when it was already gone (a concurrent logout won). */
export async function revokeToken(db: Database, tokenId: string): Promise<boolean> {
  const deleted = await db
    .delete(tokens)
    .where(eq(tokens.id, tokenId))
    .returning({ id: tokens.id });
  return deleted.length > 0;
}
