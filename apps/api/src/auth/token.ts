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

type TokenRow = {
  tokenId: string;
  createdAt: Date;
  lastUsedAt: Date;
  user: { id: string; username: string; email: string | null; createdAt: Date };
};
type Lookup = (keyHash: string) => Promise<TokenRow | undefined>;

/** postgres.js as drizzle holds it; PGlite has no `unsafe`. */
type PostgresJs = {
  unsafe(
    query: string,
    params: string[],
    options: { prepare: true },
  ): { values(): Promise<unknown[][]> };
};

function postgresJsOf(db: Database): PostgresJs | undefined {
  const client = (db as { $client?: Partial<PostgresJs> }).$client;
  return typeof client?.unsafe === 'function' ? (client as PostgresJs) : undefined;
}

/**
 * The token lookup, built once per database. drizzle writes the SQL; on
 * PostgreSQL it is then run straight through postgres.js as a prepared
 * statement, its row mapped here: drizzle's session and mapping cost ~7 µs,
 * a tenth of the time `auth.me` spends in JavaScript (docs/performance.md).
 * PGlite, for development, runs drizzle's prepared query.
 */
function buildLookup(db: Database): Lookup {
  const query = db
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
    .where(eq(tokens.keyHash, sql.placeholder('keyHash')));

  const client = postgresJsOf(db);
  if (client) {
    const text = query.toSQL().sql;
    return async (keyHash) => {
      const [row] = await client.unsafe(text, [keyHash], { prepare: true }).values();
      if (!row) return undefined;
      // The columns in the order selected above; timestamps arrive as text
      // (drizzle sets postgres.js up so) or as Dates.
      const [tokenId, createdAt, lastUsedAt, id, username, email, userCreatedAt] = row as [
        string,
        string | Date,
        string | Date,
        string,
        string,
        string | null,
        string | Date,
      ];
      return {
        tokenId,
        createdAt: new Date(createdAt),
        lastUsedAt: new Date(lastUsedAt),
        user: { id, username, email, createdAt: new Date(userCreatedAt) },
      };
    };
  }
  const prepared = query.prepare('verify_token');
  return async (keyHash) => (await prepared.execute({ keyHash }))[0];
}

const lookups = new WeakMap<Database, Lookup>();

function lookupQuery(db: Database): Lookup {
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
  const row = await lookupQuery(db)(hashToken(key));
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
