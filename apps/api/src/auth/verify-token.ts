import { type Database, type Db, prepareRows, tokens, users } from '@tokenauth/db';
import { and, eq, sql } from 'drizzle-orm';
import type { TokenPolicy } from '../config.ts';
import { hashToken, isApiTokenFormat, tokenExpiresAt } from './token.ts';
import { type PublicUser, toPublicUser } from './user.ts';
import { type UserColumns, type UserRow, userColumns, userOf } from './user-row.ts';

type TokenRow = { tokenId: string; createdAt: Date; lastUsedAt: Date; user: UserRow };

/** Finds a token by the hash of its key, with its user. */
export type TokenLookup = (keyHash: string) => Promise<TokenRow | undefined>;

/**
 * The lookup every protected call makes, prepared once per database. drizzle
 * writes the SQL; it runs as a prepared statement on the driver itself
 * (`prepareRows`), its row mapped here, because drizzle's per-call session
 * and mapping are a noticeable share of a call that does little else
 * (docs/performance.md).
 */
export function createTokenLookup(handle: Db): TokenLookup {
  const run = prepareRows(
    handle,
    handle.db
      .select({
        ...userColumns,
        tokenId: tokens.id,
        createdAt: tokens.createdAt,
        lastUsedAt: tokens.lastUsedAt,
      })
      .from(tokens)
      // A token of an older generation was revoked with all its siblings; an
      // inactive user's tokens do not work (DRF: "User inactive or deleted").
      .innerJoin(
        users,
        and(
          eq(users.id, tokens.userId),
          eq(users.tokenGeneration, tokens.generation),
          // The column itself, not eq(…, true): the statement takes one parameter, the hash.
          sql`${users.isActive}`,
        ),
      )
      // key_hash is unique: at most one row, no LIMIT (nor its parameter) needed. Only
      // opaque tokens: a JWT session's hash is of its refresh token's id, never a key.
      .where(and(eq(tokens.keyHash, sql.placeholder('keyHash')), eq(tokens.kind, sql`'token'`))),
  );
  return async (keyHash) => {
    const [row] = await run([keyHash]);
    if (!row) return undefined;
    // The columns in the order selected above: the user's, then the token's.
    const [tokenId, createdAt, lastUsedAt] = row.slice(5) as [string, string | Date, string | Date];
    return {
      tokenId,
      createdAt: new Date(createdAt),
      lastUsedAt: new Date(lastUsedAt),
      user: userOf(row as UserColumns),
    };
  };
}

export type Authenticated = { user: PublicUser; tokenId: string };
export type VerifyResult = { ok: true; auth: Authenticated } | { ok: false; expired: boolean };

/**
 * Resolves a key to its user in one indexed query. An expired token is deleted
 * and reported as such; a live one has its last-used time moved forward, but
 * at most once per touch interval, so most checks write nothing.
 */
export async function verifyToken(
  deps: { db: Database; findToken: TokenLookup; tokenPolicy: TokenPolicy },
  key: string,
  now: Date,
): Promise<VerifyResult> {
  if (!isApiTokenFormat(key)) return { ok: false, expired: false };
  const row = await deps.findToken(hashToken(key));
  if (!row) return { ok: false, expired: false };

  const { db, tokenPolicy } = deps;
  if (tokenExpiresAt(row, tokenPolicy) <= now) {
    await db.delete(tokens).where(eq(tokens.id, row.tokenId));
    return { ok: false, expired: true };
  }
  if (now.getTime() - row.lastUsedAt.getTime() >= tokenPolicy.touchIntervalMs) {
    await db.update(tokens).set({ lastUsedAt: now }).where(eq(tokens.id, row.tokenId));
  }
  return { ok: true, auth: { user: toPublicUser(row.user), tokenId: row.tokenId } };
}
