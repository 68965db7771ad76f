import { tokens, users } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { TRPCError } from '@trpc/server';
import bcrypt from 'bcrypt';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../auth/token.ts';
import { createContextInner } from '../context.ts';
import { messages } from '../messages.ts';
import { noRateLimits } from '../rate-limit.ts';
import { createServices } from '../services.ts';
import {
  callerFor,
  callerWithHeader,
  config,
  databases,
  testConfig,
  testRouter,
  uniqueUsername,
} from '../test/databases.ts';
import { createCallerFactory } from '../trpc.ts';
import { validationErrorsOf } from '../validation-errors.ts';

const password = 'correct horse battery';

async function fieldErrors(call: Promise<unknown>): Promise<Record<string, string[] | undefined>> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe('BAD_REQUEST');
  const errors = validationErrorsOf(error as TRPCError);
  if (!errors) throw new Error('expected a validation error');
  return errors.fieldErrors;
}

describe.each(databases)('auth router on $name', ({ create }) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await create();
  });
  afterAll(() => handle?.drop());

  const countUsers = async () =>
    (await handle.db.select({ n: sql<number>`count(*)::int` }).from(users))[0]?.n;

  async function signup(username = uniqueUsername(), extra: { email?: string } = {}) {
    return callerFor(handle).auth.signup({ username, password, ...extra });
  }

  // Regression: a NUL in a username reached PostgreSQL, which refuses it: a 500.
  describe.each(['a\u0000b', 'tab\there', 'bell\u0007', 'del\u007f', 'half \uD800 pair'])(
    'a field holding %j',
    (bad) => {
      it('is refused in every text field with a clear 400', async () => {
        const { token } = await signup();
        const me = callerFor(handle, token);
        // One at a time: a call made before it is awaited would reject unhandled.
        const calls: [string, () => Promise<unknown>][] = [
          ['username', () => callerFor(handle).auth.login({ username: bad, password })],
          ['password', () => callerFor(handle).auth.login({ username: 'someone', password: bad })],
          ['username', () => callerFor(handle).auth.signup({ username: bad, password })],
          [
            'email',
            () =>
              callerFor(handle).auth.signup({ username: uniqueUsername(), password, email: bad }),
          ],
          [
            'password',
            () =>
              callerFor(handle).auth.signup({
                username: uniqueUsername(),
                password: `${bad}1234567`,
              }),
          ],
          [
            'newPassword',
            () =>
              me.account.changePassword({
                currentPassword: password,
                newPassword: `${bad}1234567`,
              }),
          ],
          ['currentPassword', () => me.account.delete({ currentPassword: bad })],
          [
            'newUsername',
            () => me.account.changeUsername({ currentPassword: password, newUsername: bad }),
          ],
          ['email', () => me.account.update({ email: bad })],
        ];
        for (const [field, call] of calls) {
          expect(await fieldErrors(call()), field).toEqual({
            [field]: [messages.invalidCharacters],
          });
        }
        await expect(me.auth.me()).resolves.toBeTruthy();
      });
    },
  );

  // Regression: hashes were never upgraded when BCRYPT_COST rose.
  it('hashes a password again at the configured cost when its owner logs in', async () => {
    const username = uniqueUsername();
    await signup(username); // hashed at the suite's cost, 4
    const stronger = createServices(handle, testConfig({ BCRYPT_COST: '5' }), {
      limits: noRateLimits,
    });
    const caller = createCallerFactory(testRouter)(createContextInner(stronger));
    await caller.auth.login({ username, password });
    const [row] = await handle.db
      .select()
      .from(users)
      .where(eq(users.usernameKey, username.toLowerCase()));
    expect(bcrypt.getRounds(row?.passwordHash ?? '')).toBe(5);
    await expect(caller.auth.login({ username, password })).resolves.toBeTruthy();
    await expect(caller.auth.login({ username, password: 'wrong password' })).rejects.toMatchObject(
      { code: 'BAD_REQUEST' },
    );
  });

  describe('signup', () => {
    it('creates the user and returns a working token', async () => {
      const username = uniqueUsername('Alice');
      const { token, user } = await signup(username, { email: 'alice@example.com' });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(user).toEqual({
        id: expect.any(String),
        username,
        email: 'alice@example.com',
        emailVerified: false,
        createdAt: expect.any(String),
      });
      await expect(callerFor(handle, token).auth.me()).resolves.toEqual(user);
    });

    it('stores only the SHA-256 of the token and a bcrypt hash of the password', async () => {
      const { token, user } = await signup();
      const [row] = await handle.db.select().from(tokens).where(eq(tokens.userId, user.id));
      expect(row?.keyHash).toBe(hashToken(token ?? ''));
      const [stored] = await handle.db.select().from(users).where(eq(users.id, user.id));
      expect(stored?.passwordHash).toMatch(/^\$2[aby]\$04\$/);
      const dump = JSON.stringify(
        await handle.db.execute(sql`select * from users, tokens where users.id = tokens.user_id`),
      );
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(password);
    });

    it('refuses a username taken in another case', async () => {
      const username = uniqueUsername('Bob');
      await signup(username);
      await expect(signup(username.toUpperCase())).rejects.toMatchObject({
        code: 'CONFLICT',
        message: messages.usernameTaken,
      });
    });

    it('lets exactly one of many racing signups for a username win', async () => {
      const username = uniqueUsername('race');
      const before = await countUsers();
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => signup(username)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect(r.reason).toMatchObject({ code: 'CONFLICT', message: messages.usernameTaken });
      }
      expect(await countUsers()).toBe((before ?? 0) + 1);
    });

    it('normalises usernames with NFKC, as Django does', async () => {
      const base = uniqueUsername('wide');
      const { user } = await signup(`ｘ${base}`); // fullwidth x
      expect(user.username).toBe(`x${base}`);
      await expect(signup(`X${base}`)).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('accepts letters of any script, digits and @.+-_', async () => {
      const { user } = await signup(`Zoë.Ünal+test-1@_${uniqueUsername()}`);
      expect(user.username).toContain('Zoë.Ünal+test-1@_');
    });

    it('treats a blank email as none', async () => {
      const { user } = await signup(uniqueUsername(), { email: '   ' });
      expect(user.email).toBeNull();
    });

    it.each([
      [{ username: 'ab' }, 'username', messages.usernameTooShort],
      [{ username: 'a'.repeat(151) }, 'username', messages.usernameTooLong],
      [{ username: 'has space' }, 'username', messages.usernameCharacters],
      [{ username: 'semi;colon' }, 'username', messages.usernameCharacters],
      [{ username: 'nul\u0000byte' }, 'username', messages.invalidCharacters],
      [{ username: 12345 }, 'username', messages.notAString],
      [{ username: undefined }, 'username', messages.required],
      [{ password: 'x7#q' }, 'password', messages.passwordTooShort(8)],
      // 37 two-byte characters: 37 characters, but 74 bytes for bcrypt.
      [{ password: 'é'.repeat(37) }, 'password', messages.passwordTooLong],
      [{ password: 'a'.repeat(73) }, 'password', messages.passwordTooLong],
      [{ password: null }, 'password', messages.notAString],
      [{ email: 'not-an-email' }, 'email', messages.emailInvalid],
      [{ email: `${'a'.repeat(250)}@example.com` }, 'email', messages.emailInvalid],
    ])('rejects %j and writes nothing', async (override, field, message) => {
      const before = await countUsers();
      const input = { username: uniqueUsername(), password, ...override };
      const errors = await fieldErrors(
        // Deliberately wrong types: this is what a hostile client can send.
        callerFor(handle).auth.signup(input as never),
      );
      expect(errors[field]).toContain(message);
      expect(await countUsers()).toBe(before);
    });

    it('accepts a password of exactly 72 bytes', async () => {
      const username = uniqueUsername();
      const exact = 'é'.repeat(36); // 72 bytes
      await callerFor(handle).auth.signup({ username, password: exact });
      await expect(
        callerFor(handle).auth.login({ username, password: exact }),
      ).resolves.toMatchObject({ user: { username } });
    });

    it('reports every failing field at once', async () => {
      const errors = await fieldErrors(
        callerFor(handle).auth.signup({ username: 'x', password: 'y', email: 'z' }),
      );
      expect(Object.keys(errors).sort()).toEqual(['email', 'password', 'username']);
    });

    it('asks for a JSON object when the input is anything else', async () => {
      for (const input of [null, 'alice', [1, 2], undefined]) {
        const error = await callerFor(handle)
          .auth.login(input as never)
          .catch((e: unknown) => e);
        expect(validationErrorsOf(error as TRPCError)).toEqual({
          formErrors: [messages.notAnObject],
          fieldErrors: {},
        });
      }
    });

    it('gives a value of the wrong type one message, even an empty array', async () => {
      const errors = await fieldErrors(
        callerFor(handle).auth.login({ username: 1, password: [] } as never),
      );
      expect(errors).toEqual({ username: [messages.notAString], password: [messages.notAString] });
    });

    it('publishes the length rules it enforces, for forms to show', async () => {
      const policy = await callerFor(handle).auth.passwordPolicy();
      expect(policy).toEqual({
        minLength: config.passwords.minLength,
        maxBytes: 72,
        emailRequired: false,
      });
      const errors = await fieldErrors(
        callerFor(handle).auth.signup({
          username: uniqueUsername(),
          password: 'q'.repeat(policy.minLength - 1),
        }),
      );
      expect(errors.password).toContain(messages.passwordTooShort(policy.minLength));
    });
  });

  describe('login', () => {
    it('matches the username ignoring case and issues a new token per login', async () => {
      const username = uniqueUsername('Carol');
      const first = await signup(username);
      const a = await callerFor(handle).auth.login({
        username: username.toUpperCase(),
        password,
      });
      const b = await callerFor(handle).auth.login({
        username: username.toLowerCase(),
        password,
      });
      expect(new Set([first.token, a.token, b.token]).size).toBe(3);
      expect(a.user).toEqual(first.user);
      for (const token of [first.token, a.token, b.token]) {
        await expect(callerFor(handle, token).auth.me()).resolves.toEqual(first.user);
      }
    });

    it('gives one message for an unknown user and a wrong password', async () => {
      const username = uniqueUsername();
      await signup(username);
      const failure = { code: 'BAD_REQUEST', message: messages.invalidCredentials };
      await expect(
        callerFor(handle).auth.login({ username, password: 'wrong password' }),
      ).rejects.toMatchObject(failure);
      await expect(
        callerFor(handle).auth.login({ username: uniqueUsername('ghost'), password }),
      ).rejects.toMatchObject(failure);
    });

    // Regression: bcrypt reads only 72 bytes, so a 72-byte password plus
    // anything used to log in.
    it('refuses passwords bcrypt would truncate', async () => {
      const username = uniqueUsername();
      const exact = 'p'.repeat(72);
      await callerFor(handle).auth.signup({ username, password: exact });
      const failure = { code: 'BAD_REQUEST', message: messages.invalidCredentials };
      await expect(
        callerFor(handle).auth.login({ username, password: `${exact}extra` }),
      ).rejects.toMatchObject(failure);
    });

    it('requires both fields', async () => {
      const errors = await fieldErrors(callerFor(handle).auth.login({} as never));
      expect(errors).toEqual({ username: [messages.required], password: [messages.required] });
    });
  });

  describe('me and logout', () => {
    it('returns the account without any hash', async () => {
      const { token, user } = await signup(uniqueUsername(), { email: 'me@example.com' });
      const me = await callerFor(handle, token).auth.me();
      expect(Object.keys(me).sort()).toEqual([
        'createdAt',
        'email',
        'emailVerified',
        'id',
        'username',
      ]);
      expect(me).toEqual(user);
    });

    it.each([
      [undefined, messages.notAuthenticated],
      ['', messages.notAuthenticated],
      ['Basic Zm9vOmJhcg==', messages.notAuthenticated],
      ['Token', messages.tokenHeaderNoCredentials],
      ['Token a b', messages.tokenHeaderSpaces],
      [`Token ${'A'.repeat(43)}`, messages.invalidToken],
      ['Token short', messages.invalidToken],
    ])('answers 401 to Authorization %j', async (authorization, message) => {
      await expect(callerWithHeader(handle, authorization).auth.me()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message,
      });
    });

    it('revokes only the token used, so other devices stay logged in', async () => {
      const username = uniqueUsername();
      const laptop = await signup(username);
      const phone = await callerFor(handle).auth.login({ username, password });
      await expect(callerFor(handle, laptop.token).auth.logout()).resolves.toEqual({
        success: true,
      });
      await expect(callerFor(handle, laptop.token).auth.me()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: messages.invalidToken,
      });
      await expect(callerFor(handle, phone.token).auth.me()).resolves.toMatchObject({
        username,
      });
      const left = await handle.db.select().from(tokens).where(eq(tokens.userId, laptop.user.id));
      expect(left.map((t) => t.keyHash)).toEqual([hashToken(phone.token)]);
    });

    it('lets only one of several racing logouts of a token succeed', async () => {
      const { token } = await signup();
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => callerFor(handle, token).auth.logout()),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect(r.reason).toMatchObject({ code: 'UNAUTHORIZED', message: messages.invalidToken });
      }
    });

    it('rejects the token of a deleted user', async () => {
      const { token, user } = await signup();
      await handle.db.delete(users).where(eq(users.id, user.id));
      await expect(callerFor(handle, token).auth.me()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: messages.invalidToken,
      });
    });
  });
});
