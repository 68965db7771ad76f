import { type Db, prepareRows, tokens, users } from '@tokenauth/db';
import { and, eq, sql } from 'drizzle-orm';
import { type UserColumns, type UserRow, userColumns, userOf } from '../auth/user-row.ts';

export type JwtSessionRow = {
  user: UserRow;
  keyHash: string;
  createdAt: Date;
  lastUsedAt: Date;
};

export type JwtLookups = {
  /** The active user of that id: an access token's check without JWT_CHECK_REVOKED. */
  user(userId: string): Promise<UserRow | undefined>;
  /** The JWT session of that id and user, with its user, while neither is revoked. */
  session(sessionId: string, userId: string): Promise<JwtSessionRow | undefined>;
};

/**
 * The statements an access token's check runs, prepared once per database
 * as the opaque token's lookup is (verify-token.ts): one indexed query each.
 */
export function createJwtLookups(handle: Db): JwtLookups {
  const user = prepareRows(
    handle,
    handle.db
      .select(userColumns)
      .from(users)
      .where(and(eq(users.id, sql.placeholder('id')), sql`${users.isActive}`)),
  );
  const session = prepareRows(
    handle,
    handle.db
      .select({
        ...userColumns,
        keyHash: tokens.keyHash,
        createdAt: tokens.createdAt,
        lastUsedAt: tokens.lastUsedAt,
      })
      .from(tokens)
      .innerJoin(
        users,
        and(
          eq(users.id, tokens.userId),
          eq(users.tokenGeneration, tokens.generation),
          sql`${users.isActive}`,
        ),
      )
      .where(
        and(
          eq(tokens.id, sql.placeholder('id')),
          eq(tokens.userId, sql.placeholder('userId')),
          eq(tokens.kind, sql`'jwt'`),
        ),
      ),
  );
  return {
    async user(userId) {
      const [row] = await user([userId]);
      return row ? userOf(row as UserColumns) : undefined;
    },
    async session(sessionId, userId) {
      const [row] = await session([sessionId, userId]);
      if (!row) return undefined;
      const [keyHash, createdAt, lastUsedAt] = row.slice(5) as [
        string,
        string | Date,
        string | Date,
      ];
      return {
        user: userOf(row.slice(0, 5) as UserColumns),
        keyHash,
        createdAt: new Date(createdAt),
        lastUsedAt: new Date(lastUsedAt),
      };
    },
  };
}
