import { tokens } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../auth/token.ts';
import { purgeExpiredTokens } from '../auth/tokens.ts';
import { createContextInner } from '../context.ts';
import { messages } from '../messages.ts';
import { noRateLimits } from '../rate-limit.ts';
import { createServices } from '../services.ts';
import {
  callerFor,
  config,
  DAY,
  databases,
  SECOND,
  testClock,
  testConfig,
  testRouter,
  uniqueUsername,
} from '../test/databases.ts';
import { createCallerFactory } from '../trpc.ts';

const password = 'correct horse battery';

describe.each(databases)('sessions and token lifetime on $name', ({ create }) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await create();
  });
  afterAll(() => handle?.drop());

  /** A user with one token per device, all issued at the clock's time. */
  async function userWithDevices(clock = testClock(), devices = ['Laptop', 'Phone']) {
    const username = uniqueUsername();
    const [first, ...rest] = devices;
    const signup = await callerFor(handle, undefined, {
      now: clock.now,
      userAgent: first,
      ip: '203.0.113.1',
    }).auth.signup({ username, password });
    const tokens = [signup.token];
    for (const device of rest) {
      const login = await callerFor(handle, undefined, {
        now: clock.now,
        userAgent: device,
        ip: '203.0.113.2',
      }).auth.login({ username, password });
      tokens.push(login.token);
    }
    return { username, user: signup.user, tokens, clock };
  }

  const storedToken = async (token: string) =>
    (
      await handle.db
        .select()
        .from(tokens)
        .where(eq(tokens.keyHash, hashToken(token)))
    )[0];

  describe('tokens.list', () => {
    it('lists every device with where it logged in from, marking this one', async () => {
      const { tokens: keys, clock } = await userWithDevices();
      const [laptop, phone] = keys;
      const sessions = await callerFor(handle, phone, { now: clock.now }).tokens.list();
      expect(sessions).toHaveLength(2);
      expect(sessions.find((s) => s.current)).toMatchObject({
        userAgent: 'Phone',
        ip: '203.0.113.2',
      });
      expect(sessions.find((s) => !s.current)).toMatchObject({
        userAgent: 'Laptop',
        ip: '203.0.113.1',
        createdAt: clock.now().toISOString(),
        lastUsedAt: clock.now().toISOString(),
        expiresAt: new Date(clock.now().getTime() + 14 * DAY).toISOString(),
      });
      const text = JSON.stringify(sessions);
      for (const key of [laptop, phone]) {
        if (!key) throw new Error('missing token');
        expect(text).not.toContain(key);
        expect(text).not.toContain(hashToken(key));
      }
    });

    it('shows nothing of other users', async () => {
      const a = await userWithDevices();
      await userWithDevices();
      const sessions = await callerFor(handle, a.tokens[0], {
        now: a.clock.now,
      }).tokens.list();
      expect(sessions).toHaveLength(2);
    });
  });

  describe('tokens.revoke', () => {
    it('logs the other device out, and only it', async () => {
      const { tokens: keys, clock } = await userWithDevices();
      const [laptop, phone] = keys;
      const fromLaptop = callerFor(handle, laptop, { now: clock.now });
      const phoneSession = (await fromLaptop.tokens.list()).find((s) => !s.current);
      if (!phoneSession) throw new Error('no other session');
      await expect(fromLaptop.tokens.revoke({ id: phoneSession.id })).resolves.toEqual({
        success: true,
      });
      await expect(callerFor(handle, phone).auth.me()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: messages.invalidToken,
      });
      expect(await fromLaptop.tokens.list()).toHaveLength(1);
    });

    it('answers NOT_FOUND for another user’s session, which keeps working', async () => {
      const alice = await userWithDevices();
      const bob = await userWithDevices();
      const bobsSession = (
        await callerFor(handle, bob.tokens[0], { now: bob.clock.now }).tokens.list()
      )[0];
      if (!bobsSession) throw new Error('no session');
      await expect(
        callerFor(handle, alice.tokens[0]).tokens.revoke({ id: bobsSession.id }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: messages.tokenNotFound });
      await expect(
        callerFor(handle, bob.tokens[0], { now: bob.clock.now }).auth.me(),
      ).resolves.toMatchObject({ id: bob.user.id });
    });

    it('answers NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
      const { tokens: keys } = await userWithDevices();
      const caller = callerFor(handle, keys[0]);
      await expect(
        caller.tokens.revoke({ id: '6f1c1f4e-8d53-4a3b-9d7e-0b1e2c3d4e5f' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(caller.tokens.revoke({ id: 'not-a-uuid' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    });
  });

  // Regression: every login added a token for good; 400 logins left 400 rows.
  it('keeps at most TOKEN_LIMIT_PER_USER tokens, revoking the oldest', async () => {
    const capped = createServices(handle, testConfig({ TOKEN_LIMIT_PER_USER: '3' }), {
      limits: noRateLimits,
    });
    const caller = createCallerFactory(testRouter)(createContextInner(capped));
    const username = uniqueUsername();
    const issued = [(await caller.auth.signup({ username, password })).token];
    for (let i = 0; i < 4; i++)
      issued.push((await caller.auth.login({ username, password })).token);
    const alive = await Promise.all(
      issued.map((token) =>
        callerFor(handle, token)
          .auth.me()
          .then(
            () => true,
            () => false,
          ),
      ),
    );
    expect(alive).toEqual([false, false, true, true, true]);
  });

  describe('auth.logoutAll', () => {
    it('revokes every token of the user, this one included', async () => {
      const { tokens: keys, clock } = await userWithDevices(testClock(), ['A', 'B', 'C']);
      await expect(
        callerFor(handle, keys[0], { now: clock.now }).auth.logoutAll(),
      ).resolves.toEqual({ revoked: 3 });
      for (const key of keys) {
        await expect(callerFor(handle, key).auth.me()).rejects.toMatchObject({
          code: 'UNAUTHORIZED',
        });
      }
    });
  });

  describe('expiry', () => {
    it('expires a token idle for 14 days, says so, and deletes it', async () => {
      const { tokens: keys, clock } = await userWithDevices(testClock(), ['Laptop']);
      const [key] = keys;
      if (!key) throw new Error('no token');
      clock.advance(14 * DAY - SECOND);
      await expect(callerFor(handle, key, { now: clock.now }).auth.me()).resolves.toBeTruthy();
      clock.advance(14 * DAY);
      await expect(callerFor(handle, key, { now: clock.now }).auth.me()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: messages.tokenExpired,
      });
      expect(await storedToken(key)).toBeUndefined();
      // Once deleted it is simply unknown.
      await expect(callerFor(handle, key, { now: clock.now }).auth.me()).rejects.toMatchObject({
        message: messages.invalidToken,
      });
    });

    it('slides the idle expiry with use, up to the 90-day maximum', async () => {
      const { tokens: keys, clock } = await userWithDevices(testClock(), ['Laptop']);
      const [key] = keys;
      if (!key) throw new Error('no token');
      const me = () => callerFor(handle, key, { now: clock.now }).auth.me();
      for (let day = 10; day < 90; day += 10) {
        clock.advance(10 * DAY);
        await expect(me()).resolves.toBeTruthy();
      }
      clock.advance(10 * DAY); // day 90
      await expect(me()).rejects.toMatchObject({ message: messages.tokenExpired });
    });

    it('writes last-used at most once a minute', async () => {
      const { tokens: keys, clock } = await userWithDevices(testClock(), ['Laptop']);
      const [key] = keys;
      if (!key) throw new Error('no token');
      const issued = clock.now();
      const me = () => callerFor(handle, key, { now: clock.now }).auth.me();

      clock.advance(30 * SECOND);
      await me();
      await me();
      expect((await storedToken(key))?.lastUsedAt).toEqual(issued);

      clock.advance(30 * SECOND);
      await me();
      expect((await storedToken(key))?.lastUsedAt).toEqual(clock.now());
      const touched = clock.now();

      clock.advance(59 * SECOND);
      await me();
      expect((await storedToken(key))?.lastUsedAt).toEqual(touched);
    });

    it('leaves expired sessions out of the list', async () => {
      const clock = testClock();
      const { username, tokens: keys } = await userWithDevices(clock, ['Old']);
      clock.advance(20 * DAY);
      const fresh = await callerFor(handle, undefined, { now: clock.now }).auth.login({
        username,
        password,
      });
      const sessions = await callerFor(handle, fresh.token, { now: clock.now }).tokens.list();
      expect(sessions).toHaveLength(1);
      expect(sessions[0]?.current).toBe(true);
      expect(await storedToken(keys[0] ?? '')).toBeDefined();
    });

    it('purges expired tokens in bulk and keeps live ones', async () => {
      const clock = testClock(new Date('2031-06-01T00:00:00Z'));
      const idle = await userWithDevices(clock, ['Idle']);
      clock.advance(15 * DAY);
      const live = await userWithDevices(clock, ['Live']);
      const purged = await purgeExpiredTokens(handle.db, config.tokens, clock.now());
      expect(purged).toBeGreaterThanOrEqual(1);
      expect(await storedToken(idle.tokens[0] ?? '')).toBeUndefined();
      expect(await storedToken(live.tokens[0] ?? '')).toBeDefined();
    });
  });
});
