import type { Server } from 'node:http';
import { users } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usernameKey } from './auth/user.ts';
import { createContextInner } from './context.ts';
import { messages } from './messages.ts';
import {
  callerFor,
  databases,
  rejectionOf,
  servicesFor,
  testRouter,
  uniqueUsername,
} from './test/databases.ts';
import { gatedHasher } from './test/gated-hasher.ts';
import { apiClient, listen } from './test/http.ts';
import { testServer } from './test/server.ts';
import { createCallerFactory } from './trpc.ts';

const password = 'correct horse battery';
const CONCURRENCY = 50;
const createCaller = createCallerFactory(testRouter);

// Rate limits are off here: with them on, most of these requests would be 429s.
describe.each(databases)('races over HTTP on $name', ({ create }) => {
  let handle: TestDb;
  let server: Server;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    handle = await create();
    server = testServer(handle);
    api = apiClient(await listen(server));
  });
  afterAll(async () => {
    server?.close();
    await handle?.drop();
  });

  const tally = (statuses: number[]) =>
    statuses.reduce<Record<number, number>>((counts, s) => {
      counts[s] = (counts[s] ?? 0) + 1;
      return counts;
    }, {});

  it(`${CONCURRENCY} signups of one username make one user; the rest get 409`, async () => {
    const username = uniqueUsername('race');
    const replies = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        // Different cases of one name: the same user to the unique index.
        api.mutate('auth.signup', {
          username: i % 2 ? username : username.toUpperCase(),
          password,
        }),
      ),
    );
    expect(tally(replies.map((r) => r.status))).toEqual({ 200: 1, 409: CONCURRENCY - 1 });
    for (const reply of replies.filter((r) => r.status === 409)) {
      expect(reply.body.error?.message).toBe(messages.usernameTaken);
    }
    const rows = await handle.db
      .select()
      .from(users)
      .where(eq(users.usernameKey, usernameKey(username)));
    expect(rows).toHaveLength(1);
  });

  it(`${CONCURRENCY} logouts of one token: one succeeds, the rest get 401`, async () => {
    const signup = await api.mutate('auth.signup', { username: uniqueUsername(), password });
    const token = signup.body.result?.data?.token;
    const replies = await Promise.all(
      Array.from({ length: CONCURRENCY }, () =>
        api.mutate('auth.logout', {}, { authorization: `Token ${token}` }),
      ),
    );
    expect(tally(replies.map((r) => r.status))).toEqual({ 200: 1, 401: CONCURRENCY - 1 });
    const me = await api.query('auth.me', { authorization: `Token ${token}` });
    expect(me.status).toBe(401);
  });

  it(`${CONCURRENCY} logins of one user each get a token of their own`, async () => {
    const username = uniqueUsername();
    await api.mutate('auth.signup', { username, password });
    const replies = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => api.mutate('auth.login', { username, password })),
    );
    expect(tally(replies.map((r) => r.status))).toEqual({ 200: CONCURRENCY });
    const tokens = new Set(replies.map((r) => r.body.result?.data?.token));
    expect(tokens.size).toBe(CONCURRENCY);
  });

  describe('a login whose password check is in flight', () => {
    /** A user logged in on one device, and a login from another held after its password check. */
    async function heldLogin() {
      const username = uniqueUsername('held');
      const { token } = await callerFor(handle).auth.signup({ username, password });
      const gate = gatedHasher(servicesFor(handle).hasher);
      const held = createCaller(
        createContextInner({ ...servicesFor(handle), hasher: gate.hasher }),
      ).auth.login({ username, password });
      await gate.arrived;
      return { token, held, release: gate.release };
    }

    // Regression: the token was inserted after the change had revoked the others, and worked.
    it('issues a dead token if the password changed meanwhile', async () => {
      const { token, held, release } = await heldLogin();
      await callerFor(handle, token).account.changePassword({
        currentPassword: password,
        newPassword: 'a brand new passphrase',
      });
      release();
      // The login did check a right password, but its token is revoked with the others.
      const late = await held;
      await expect(callerFor(handle, late.token).auth.me()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
      await expect(callerFor(handle, token).auth.me()).resolves.toBeTruthy();
    });

    it('issues a dead token if the user logged out everywhere meanwhile', async () => {
      const { token, held, release } = await heldLogin();
      await callerFor(handle, token).auth.logoutAll();
      release();
      const late = await held;
      await expect(callerFor(handle, late.token).auth.me()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    });

    // Regression: the token insert violated the foreign key, and the login answered 500.
    it('fails as for a deleted user if the account was deleted meanwhile', async () => {
      const { token, held, release } = await heldLogin();
      await callerFor(handle, token).account.delete({ currentPassword: password });
      release();
      expect(await rejectionOf(held)).toMatchObject({
        code: 'BAD_REQUEST',
        message: messages.invalidCredentials,
      });
    });
  });

  // Regression: both answered 200, and the first caller's password was not the one set.
  it('lets one of two racing password changes win; the other finds its password wrong', async () => {
    const username = uniqueUsername();
    const { token } = await callerFor(handle).auth.signup({ username, password });
    const gate = gatedHasher(servicesFor(handle).hasher, 2);
    const caller = createCaller(
      createContextInner(
        { ...servicesFor(handle), hasher: gate.hasher },
        { authorization: `Token ${token}` },
      ),
    );
    const changes = ['first new passphrase', 'second new passphrase'].map((newPassword) =>
      caller.account.changePassword({ currentPassword: password, newPassword }).then(
        () => newPassword,
        (error: unknown) => error,
      ),
    );
    await gate.arrived; // both have checked the old password
    gate.release();
    const [a, b] = await Promise.all(changes);
    const won = [a, b].filter((r) => typeof r === 'string');
    const lost = [a, b].filter((r) => typeof r !== 'string');
    expect(won).toHaveLength(1);
    expect(lost[0]).toMatchObject({ code: 'BAD_REQUEST' });
    expect(String((lost[0] as Error).message)).toBe(messages.wrongPassword);
    await expect(
      callerFor(handle).auth.login({ username, password: won[0] as string }),
    ).resolves.toBeTruthy();
  });
});
