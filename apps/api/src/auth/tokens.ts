import { type Database, tokens, users } from '@tokenauth/db';
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { TokenPolicy } from '../config.ts';
import { deleteInBatches } from '../delete-in-batches.ts';
import { unauthorized } from '../errors.ts';
import { sqlTime } from '../sql-rows.ts';
import { idleTimeoutOf, type SessionKind, tokenExpiresAt } from './token.ts';
import type { Authenticated } from './verify-token.ts';

/** A token as its owner sees it: never the key or its hash. */
export type TokenInfo = {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  /** An opaque token, or a JWT session (README "JSON Web Tokens"). */
  kind: SessionKind;
  /** The token that made this request. */
  current: boolean;
};

/** The user's live tokens: the current one first, then the most recently used. */
export async function listTokens(
  db: Database,
  policy: TokenPolicy,
  userId: string,
  currentTokenId: string | undefined,
  now: Date,
): Promise<TokenInfo[]> {
  const rows = await db
    .select({
      id: tokens.id,
      createdAt: tokens.createdAt,
      lastUsedAt: tokens.lastUsedAt,
      userAgent: tokens.userAgent,
      ip: tokens.ip,
      kind: tokens.kind,
    })
    .from(tokens)
    .innerJoin(
      users,
      and(eq(users.id, tokens.userId), eq(users.tokenGeneration, tokens.generation)),
    )
    .where(eq(tokens.userId, userId))
    .orderBy(desc(tokens.lastUsedAt));
  return rows
    .map((row) => ({ ...row, expiresAt: tokenExpiresAt(row, policy) }))
    .filter((row) => row.expiresAt > now)
    .map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      userAgent: row.userAgent,
      ip: row.ip,
      kind: row.kind === 'jwt' ? ('jwt' as const) : ('token' as const),
      current: row.id === currentTokenId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** Revokes one of the user's tokens; false when the user has no such token (any more). */
export async function revokeToken(db: Database, userId: string, tokenId: string): Promise<boolean> {
  const deleted = await db
    .delete(tokens)
    .where(and(eq(tokens.id, tokenId), eq(tokens.userId, userId)))
    .returning({ id: tokens.id });
  return deleted.length > 0;
}

/**
 * Logs out the device whose token made the request: revokes that token.
 * A 401 if it is already gone (a logout racing another, or the user deleted).
 */
export async function logout(db: Database, auth: Authenticated): Promise<void> {
  if (!(await revokeToken(db, auth.user.id, auth.tokenId))) throw unauthorized('invalidToken');
}

/**
 * Revokes every token of the user, or every one but `exceptTokenId`; returns
 * how many. The user's token generation moves on, so a token that a login in
 * flight issues afterwards, under the old one, is revoked too.
 */
export function revokeAllTokens(
  db: Database,
  userId: string,
  exceptTokenId?: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ tokenGeneration: sql`${users.tokenGeneration} + 1` })
      .where(eq(users.id, userId))
      .returning({ generation: users.tokenGeneration });
    if (!user) return 0;
    if (exceptTokenId) {
      await tx
        .update(tokens)
        .set({ generation: user.generation })
        .where(and(eq(tokens.id, exceptTokenId), eq(tokens.userId, userId)));
    }
    const deleted = await tx
      .delete(tokens)
      .where(and(eq(tokens.userId, userId), ne(tokens.generation, user.generation)))
      .returning({ id: tokens.id });
    return deleted.length;
  });
}

/**
 * Deletes every expired token and JWT session; returns how many. In batches
 * along the two expiry indexes (idle, then too old, then JWT sessions not
 * refreshed in time), so that a purge of millions never
 * holds a long lock. Revoked tokens are deleted when revoked; the rare one a
 * login issued in the same instant as "log out everywhere" (born revoked:
 * schema.ts) is refused, never used, and so goes with the idle ones.
 */
export async function purgeExpiredTokens(
  db: Database,
  policy: TokenPolicy,
  now: Date,
): Promise<number> {
  const idleSince = sqlTime(new Date(now.getTime() - policy.idleTimeoutMs));
  const bornBefore = sqlTime(new Date(now.getTime() - policy.maxAgeMs));
  const idle = await deleteInBatches(
    db,
    tokens,
    sql`${tokens.lastUsedAt} <= ${idleSince}`,
    tokens.lastUsedAt,
  );
  const old = await deleteInBatches(
    db,
    tokens,
    sql`${tokens.createdAt} <= ${bornBefore}`,
    tokens.createdAt,
  );
  // JWT sessions whose refresh token expired unused: sooner idle than opaque tokens.
  const jwtIdleSince = sqlTime(new Date(now.getTime() - idleTimeoutOf('jwt', policy)));
  const unrefreshed = await deleteInBatches(
    db,
    tokens,
    sql`${tokens.lastUsedAt} <= ${jwtIdleSince} and ${tokens.kind} = 'jwt'`,
    tokens.lastUsedAt,
  );
  return idle + old + unrefreshed;
}
