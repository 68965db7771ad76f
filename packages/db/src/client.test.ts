import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSchemaBehind, isUniqueViolation } from './errors.ts';
import { tokens, users } from './schema.ts';
import { type TestDb, testDatabases } from './testing.ts';

// Tests read the environment directly: this package has no env module of its own.
const adminUrl = process.env.DATABASE_URL;

describe.each(testDatabases(adminUrl))('schema on $name', ({ create }) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await create();
  });
  afterAll(() => handle?.drop());

  it('answers a ping', async () => {
    await expect(handle.ping()).resolves.toBeUndefined();
  });

  it('enforces one user per username key', async () => {
    const row = { username: 'Alice', usernameKey: 'alice', passwordHash: 'x' };
    await handle.db.insert(users).values(row);
    const error = await handle.db
      .insert(users)
      .values({ ...row, username: 'ALICE' })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error, 'users_username_key_idx')).toBe(true);
    expect(isUniqueViolation(error, 'tokens_key_hash_idx')).toBe(false);
  });

  it('tells a database behind the code (a table or column missing) from other errors', async () => {
    const table = await handle.db
      .execute(sql`select * from no_such_table`)
      .catch((e: unknown) => e);
    expect(isSchemaBehind(table)).toBe(true);
    const column = await handle.db
      .execute(sql`select no_such_column from users`)
      .catch((e: unknown) => e);
    expect(isSchemaBehind(column)).toBe(true);
    const syntax = await handle.db.execute(sql`select from where`).catch((e: unknown) => e);
    expect(isSchemaBehind(syntax)).toBe(false);
  });

  it('deletes a user’s tokens with the user', async () => {
    const [user] = await handle.db
      .insert(users)
      .values({ username: 'bob', usernameKey: 'bob', passwordHash: 'x' })
      .returning();
    if (!user) throw new Error('insert returned nothing');
    await handle.db.insert(tokens).values({ userId: user.id, keyHash: 'a'.repeat(64) });
    await handle.db.delete(users).where(eq(users.id, user.id));
    const left = await handle.db.select().from(tokens).where(eq(tokens.userId, user.id));
    expect(left).toEqual([]);
  });
});
