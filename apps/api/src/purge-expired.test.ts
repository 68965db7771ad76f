import { randomUUID } from 'node:crypto';
import { rateLimits, tokens } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToken, hashToken } from './auth/token.ts';
import { purgeExpiredTokens } from './auth/tokens.ts';
import { deleteInBatches } from './delete-in-batches.ts';
import { purgeExpired } from './purge-expired.ts';
import { callerFor, config, DAY, databases, testClock, uniqueUsername } from './test/databases.ts';

describe.each(databases)('the hourly purge on $name', ({ name, create }) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await create();
  });
  afterAll(() => handle?.drop());

  /** A user with `count` tokens, used last at `lastUsedAt`; their ids. */
  async function tokensUsedAt(count: number, lastUsedAt: Date): Promise<string[]> {
    const { user } = await callerFor(handle).auth.signup({
      username: uniqueUsername('purged'),
      password: 'correct horse battery',
    });
    const rows = await handle.db
      .insert(tokens)
      .values(
        Array.from({ length: count }, () => ({
          userId: user.id,
          keyHash: randomUUID(),
          createdAt: lastUsedAt,
          lastUsedAt,
        })),
      )
      .returning({ id: tokens.id });
    return rows.map((row) => row.id);
  }
  const remaining = async (ids: string[]) =>
    (await handle.db.select({ id: tokens.id }).from(tokens).where(inArray(tokens.id, ids))).length;

  it('deletes in batches until none is left, and nothing else', async () => {
    const old = new Date('2020-01-01T00:00:00Z');
    const doomed = await tokensUsedAt(7, old);
    const kept = await tokensUsedAt(2, new Date('2020-01-02T00:00:00Z'));
    const where = sql`${tokens.id} in ${[...doomed, ...kept]} and ${tokens.lastUsedAt} < '2020-01-01T12:00:00Z'`;
    expect(await deleteInBatches(handle.db, tokens, where, tokens.lastUsedAt, 3)).toBe(7);
    expect(await remaining(doomed)).toBe(0);
    expect(await remaining(kept)).toBe(2);
  });

  it('purges tokens idle too long or too old, and keeps live ones', async () => {
    const clock = testClock(new Date('2035-06-01T00:00:00Z'));
    const idle = await tokensUsedAt(3, new Date(clock.now().getTime() - 15 * DAY));
    const live = await tokensUsedAt(2, new Date(clock.now().getTime() - 13 * DAY));
    const [tooOld] = await tokensUsedAt(1, new Date(clock.now().getTime() - 91 * DAY));
    await handle.db
      .update(tokens)
      .set({ lastUsedAt: clock.now() })
      .where(eq(tokens.id, tooOld ?? ''));
    const purged = await purgeExpired(handle.db, config.tokens, clock.now());
    expect(purged.tokens).toBeGreaterThanOrEqual(4);
    expect(await remaining([...idle, tooOld ?? ''])).toBe(0);
    expect(await remaining(live)).toBe(2);
  });

  // Regression guard for the purge that no longer looks at generations: a
  // token a login issued as "log out everywhere" ran is refused, so never
  // touched, and goes once idle.
  it('sweeps a token born revoked once it is idle, never having been usable', async () => {
    const clock = testClock(new Date('2037-03-01T00:00:00Z'));
    const { user } = await callerFor(handle).auth.signup({
      username: uniqueUsername('born_revoked'),
      password: 'correct horse battery',
    });
    const key = generateToken();
    await handle.db.insert(tokens).values({
      userId: user.id,
      keyHash: hashToken(key),
      generation: -1,
      createdAt: clock.now(),
      lastUsedAt: clock.now(),
    });
    clock.advance(2 * 60 * 1000);
    await expect(callerFor(handle, key, { now: clock.now }).auth.me()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const [row] = await handle.db
      .select()
      .from(tokens)
      .where(eq(tokens.keyHash, hashToken(key)));
    expect(row?.lastUsedAt).toEqual(new Date('2037-03-01T00:00:00Z'));
    clock.advance(15 * DAY);
    await purgeExpired(handle.db, config.tokens, clock.now());
    expect(
      await handle.db
        .select()
        .from(tokens)
        .where(eq(tokens.keyHash, hashToken(key))),
    ).toEqual([]);
  });

  it('deletes rate-limit counters whose window has ended, and only those', async () => {
    const now = new Date('2035-06-01T00:00:00Z');
    const key = (what: string) => `${uniqueUsername('purge')}:${what}`;
    const [ended, open, endless] = [key('ended'), key('open'), key('endless')];
    await handle.db.insert(rateLimits).values([
      { key: ended, points: 3, expire: now.getTime() - 1 },
      { key: open, points: 3, expire: now.getTime() + 60_000 },
      { key: endless, points: 3, expire: null },
    ]);
    expect((await purgeExpired(handle.db, config.tokens, now)).rateLimits).toBeGreaterThanOrEqual(
      1,
    );
    const left = await handle.db
      .select({ key: rateLimits.key })
      .from(rateLimits)
      .where(inArray(rateLimits.key, [ended, open, endless]));
    expect(left.map((row) => row.key).sort()).toEqual([endless, open].sort());
  });

  // A purge must never queue behind a request: it skips a row someone holds
  // and takes it next time.
  it.skipIf(name !== 'postgres')(
    'skips a row another transaction holds, without waiting',
    async () => {
      const now = new Date('2036-01-01T00:00:00Z');
      const [held, free] = await tokensUsedAt(2, new Date('2020-01-01T00:00:00Z'));
      if (handle.driver !== 'postgres' || !held || !free) throw new Error('setup');
      await handle.sql.begin(async (tx) => {
        await tx`select id from tokens where id = ${held} for update`;
        await purgeExpiredTokens(handle.db, config.tokens, now);
        expect(await remaining([held, free])).toBe(1);
      });
      await purgeExpiredTokens(handle.db, config.tokens, now);
      expect(await remaining([held])).toBe(0);
    },
  );
});
