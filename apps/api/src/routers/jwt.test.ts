import { generateKeyPairSync } from 'node:crypto';
import { tokens, users } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredTokens } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import { createContextInner } from '../context.ts';
import { SimpleJwtRefusal } from '../errors.ts';
import { messages } from '../messages.ts';
import { noRateLimits } from '../rate-limit.ts';
import { createServices } from '../services.ts';
import {
  config,
  DAY,
  databases,
  MINUTE,
  rejectionOf,
  SECOND,
  TEST_JWT_KEY,
  testClock,
  testConfig,
  testRouter,
  uniqueUsername,
} from '../test/databases.ts';
import { createCallerFactory } from '../trpc.ts';

const password = 'correct horse battery';
const createCaller = createCallerFactory(testRouter);

const pem = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
  key.export({ format: 'pem', type: 'pkcs8' }).toString();

/** The code and message of a failed call, and the REST body its cause carries. */
async function refusal(call: Promise<unknown>) {
  const error = await rejectionOf(call);
  expect(error).toBeInstanceOf(TRPCError);
  const { code, message, cause } = error as TRPCError;
  return { code, message, rest: cause instanceof SimpleJwtRefusal ? cause.body : undefined };
}

describe.each(databases)('JSON Web Tokens on $name', ({ create }) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await create();
  });
  afterAll(() => handle?.drop());

  /** Callers with `config` (the test's by default) and a clock the test moves. */
  function client(options: { config?: Config; clock?: ReturnType<typeof testClock> } = {}) {
    const clock = options.clock ?? testClock();
    const services = createServices(handle, options.config ?? config, { limits: noRateLimits });
    const as = (authorization?: string) =>
      createCaller(
        createContextInner(services, {
          authorization,
          now: clock.now,
          userAgent: 'JWT test',
          ip: '198.51.100.7',
        }),
      );
    return { clock, as, bearer: (access: string) => as(`Bearer ${access}`) };
  }

  async function userWithPair(c = client()) {
    const username = uniqueUsername('jwt');
    await c.as().auth.signup({ username, password });
    const pair = await c.as().jwt.create({ username, password });
    return { username, ...pair, c };
  }

  it('jwt.create answers a pair with simplejwt claims, signed with EdDSA under a published key id', async () => {
    const { refresh, access, user, c } = await userWithPair();
    const now = Math.floor(c.clock.now().getTime() / 1000);
    const accessClaims = decodeJwt(access);
    expect(accessClaims).toEqual({
      token_type: 'access',
      user_id: user.id,
      sid: expect.any(String),
      jti: expect.stringMatching(/^[0-9a-f]{32}$/),
      iat: now,
      exp: now + 5 * 60,
    });
    const refreshClaims = decodeJwt(refresh);
    expect(refreshClaims).toMatchObject({
      token_type: 'refresh',
      user_id: user.id,
      sid: accessClaims.sid,
      iat: now,
      exp: now + 24 * 60 * 60,
    });
    expect(refreshClaims.jti).not.toBe(accessClaims.jti);
    const header = decodeProtectedHeader(access);
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: expect.any(String) });
    expect(config.jwt?.keys.jwks.keys.map((key) => key.kid)).toEqual([header.kid]);
  });

  it('jwt.create refuses wrong credentials in simplejwt words, as an unknown user', async () => {
    const { username, c } = await userWithPair();
    for (const attempt of [
      { username, password: 'wrong password' },
      { username: uniqueUsername('nobody'), password },
    ]) {
      expect(await refusal(c.as().jwt.create(attempt))).toEqual({
        code: 'UNAUTHORIZED',
        message: messages.noActiveAccount,
        rest: { detail: messages.noActiveAccount },
      });
    }
  });

  it('an access token authenticates as Bearer or JWT, and the session is listed as this device', async () => {
    const { access, user, c } = await userWithPair();
    expect(await c.bearer(access).auth.me()).toEqual(user);
    expect(await c.as(`JWT ${access}`).auth.me()).toEqual(user);
    // The JWT session first, as this device, until a day without a refresh; then signup's token.
    const sessions = await c.bearer(access).tokens.list();
    expect(sessions.map(({ kind, current }) => ({ kind, current }))).toEqual([
      { kind: 'jwt', current: true },
      { kind: 'token', current: false },
    ]);
    expect(sessions[0]).toMatchObject({
      id: decodeJwt(access).sid,
      userAgent: 'JWT test',
      expiresAt: new Date(c.clock.now().getTime() + DAY).toISOString(),
    });
  });

  it('an opaque token keeps working as Bearer, beside JWT sessions', async () => {
    const c = client();
    const username = uniqueUsername('jwt');
    const { token, user } = await c.as().auth.signup({ username, password });
    await c.as().jwt.create({ username, password });
    expect(await c.bearer(token ?? '').auth.me()).toEqual(user);
    const kinds = (await c.bearer(token ?? '').tokens.list()).map((s) => [s.kind, s.current]);
    expect(kinds).toEqual([
      ['token', true],
      ['jwt', false],
    ]);
  });

  it('a refresh rotates the pair; the old refresh token sent again ends the whole session', async () => {
    const { refresh, c } = await userWithPair();
    c.clock.advance(MINUTE);
    const next = await c.as().jwt.refresh({ refresh });
    expect(Object.keys(next)).toEqual(['access', 'refresh']);
    expect(decodeJwt(next.refresh).sid).toBe(decodeJwt(refresh).sid);
    expect(decodeJwt(next.refresh).jti).not.toBe(decodeJwt(refresh).jti);
    expect(await c.bearer(next.access).auth.me()).toMatchObject({ id: decodeJwt(refresh).user_id });

    // Reuse: the rotated token comes back (stolen, or replayed).
    expect(await refusal(c.as().jwt.refresh({ refresh }))).toEqual({
      code: 'UNAUTHORIZED',
      message: messages.jwtInvalid,
      rest: { detail: messages.jwtInvalid, code: 'token_not_valid' },
    });
    // The family is gone: the newest refresh token fails too.
    expect((await refusal(c.as().jwt.refresh({ refresh: next.refresh }))).code).toBe(
      'UNAUTHORIZED',
    );
    const [row] = await handle.db
      .select()
      .from(tokens)
      .where(eq(tokens.id, String(decodeJwt(refresh).sid)));
    expect(row).toBeUndefined();
  });

  it('two refreshes racing with one token: at most one wins, and the session ends', async () => {
    const { refresh, c } = await userWithPair();
    const results = await Promise.allSettled([
      c.as().jwt.refresh({ refresh }),
      c.as().jwt.refresh({ refresh }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
    const winner = results.find((r) => r.status === 'fulfilled');
    if (winner?.status === 'fulfilled') {
      expect((await refusal(c.as().jwt.refresh({ refresh: winner.value.refresh }))).code).toBe(
        'UNAUTHORIZED',
      );
    }
  });

  it('access tokens expire after 5 minutes, refresh tokens after a day without a refresh', async () => {
    const { access, refresh, c } = await userWithPair();
    c.clock.advance(5 * MINUTE - SECOND);
    await c.bearer(access).auth.me();
    c.clock.advance(SECOND);
    expect(await refusal(c.bearer(access).auth.me())).toMatchObject({
      code: 'UNAUTHORIZED',
      message: messages.tokenExpired,
      rest: { code: 'token_not_valid' },
    });
    // Refreshed before a day passes, the session goes on; a day after the last refresh, it ends.
    c.clock.advance(DAY - 6 * MINUTE);
    const next = await c.as().jwt.refresh({ refresh });
    expect(decodeJwt(next.refresh).exp).toBe(
      Math.floor(c.clock.now().getTime() / 1000) + DAY / SECOND,
    );
    c.clock.advance(DAY);
    expect((await refusal(c.as().jwt.refresh({ refresh: next.refresh }))).code).toBe(
      'UNAUTHORIZED',
    );
  });

  it('a JWT session lasts no longer than TOKEN_MAX_AGE, however often refreshed', async () => {
    const c = client({
      config: testConfig({ JWT_PRIVATE_KEY: TEST_JWT_KEY, TOKEN_MAX_AGE: '2d' }),
    });
    let { refresh } = await userWithPair(c);
    c.clock.advance(DAY - SECOND);
    ({ refresh } = await c.as().jwt.refresh({ refresh }));
    c.clock.advance(DAY);
    expect((await refusal(c.as().jwt.refresh({ refresh }))).code).toBe('UNAUTHORIZED');
  });

  it('logout with an access token ends its session: no more refreshes; its access tokens last their 5 minutes', async () => {
    const { access, refresh, c } = await userWithPair();
    await c.bearer(access).auth.logout();
    expect((await refusal(c.as().jwt.refresh({ refresh }))).code).toBe('UNAUTHORIZED');
    // Without JWT_CHECK_REVOKED, the access token is checked by its signature and the user only.
    await c.bearer(access).auth.me();
    c.clock.advance(5 * MINUTE);
    expect((await refusal(c.bearer(access).auth.me())).code).toBe('UNAUTHORIZED');
  });

  it('with JWT_CHECK_REVOKED, an ended session refuses its access tokens at once', async () => {
    const c = client({
      config: testConfig({ JWT_PRIVATE_KEY: TEST_JWT_KEY, JWT_CHECK_REVOKED: 'true' }),
    });
    const { access, refresh } = await userWithPair(c);
    await c.bearer(access).auth.me();
    await c.bearer(access).auth.logout();
    expect(await refusal(c.bearer(access).auth.me())).toMatchObject({
      code: 'UNAUTHORIZED',
      message: messages.invalidToken,
    });
    expect((await refusal(c.as().jwt.verify({ token: refresh }))).code).toBe('UNAUTHORIZED');
  });

  it('"log out everywhere", a password change and account deletion end JWT sessions', async () => {
    const checked = client({
      config: testConfig({ JWT_PRIVATE_KEY: TEST_JWT_KEY, JWT_CHECK_REVOKED: 'true' }),
    });
    const { username, access, refresh } = await userWithPair(checked);
    const other = await checked.as().jwt.create({ username, password });
    await checked.bearer(other.access).auth.logoutAll();
    for (const token of [refresh, other.refresh]) {
      expect((await refusal(checked.as().jwt.refresh({ refresh: token }))).code).toBe(
        'UNAUTHORIZED',
      );
    }
    expect((await refusal(checked.bearer(access).auth.me())).code).toBe('UNAUTHORIZED');

    const again = await checked.as().jwt.create({ username, password });
    const kept = await checked.as().jwt.create({ username, password });
    await checked
      .bearer(kept.access)
      .account.changePassword({ currentPassword: password, newPassword: 'a new passphrase 2' });
    expect((await refusal(checked.as().jwt.refresh({ refresh: again.refresh }))).code).toBe(
      'UNAUTHORIZED',
    );
    // The device that changed the password stays logged in, as with opaque tokens.
    await checked.as().jwt.refresh({ refresh: kept.refresh });

    const last = await checked.as().jwt.create({ username, password: 'a new passphrase 2' });
    await checked.bearer(last.access).account.delete({ currentPassword: 'a new passphrase 2' });
    expect((await refusal(checked.bearer(last.access).auth.me())).code).toBe('UNAUTHORIZED');
    // Without the session check too: the user is gone.
    const unchecked = client({ clock: checked.clock });
    expect((await refusal(unchecked.bearer(last.access).auth.me())).code).toBe('UNAUTHORIZED');
  });

  it('an inactive user (Django is_active false) cannot use or refresh JWTs', async () => {
    const { access, refresh, user, c } = await userWithPair();
    // Used once before, so its signature is known: the user is still read at every use.
    expect(await c.bearer(access).auth.me()).toEqual(user);
    await handle.db.update(users).set({ isActive: false }).where(eq(users.id, user.id));
    expect((await refusal(c.bearer(access).auth.me())).code).toBe('UNAUTHORIZED');
    expect((await refusal(c.as().jwt.refresh({ refresh }))).code).toBe('UNAUTHORIZED');
  });

  it('jwt.verify accepts live tokens and refuses the rest, changing nothing', async () => {
    const { access, refresh, c } = await userWithPair();
    expect(await c.as().jwt.verify({ token: access })).toEqual({});
    expect(await c.as().jwt.verify({ token: refresh })).toEqual({});
    const next = await c.as().jwt.refresh({ refresh });
    // The rotated token is refused, but verify is no reuse: the session goes on.
    expect((await refusal(c.as().jwt.verify({ token: refresh }))).rest).toEqual({
      detail: messages.jwtInvalid,
      code: 'token_not_valid',
    });
    expect(await c.as().jwt.verify({ token: next.refresh })).toEqual({});
    for (const token of ['not a jwt', `${access.slice(0, -2)}xx`, 'a.b.c']) {
      expect((await refusal(c.as().jwt.verify({ token }))).code).toBe('UNAUTHORIZED');
    }
  });

  it('refuses forged, tampered and misused tokens', async () => {
    const { access, refresh, user, c } = await userWithPair();
    const claims = decodeJwt(access);
    const [head, , signature] = access.split('.');
    const body = (payload: object) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body(claims)}.`;
    const otherKey = generateKeyPairSync('ed25519').privateKey;
    const foreign = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: decodeProtectedHeader(access).kid })
      .sign(otherKey);
    const hs256 = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(TEST_JWT_KEY));
    const forged = [
      `${head}.${body({ ...claims, user_id: '00000000-0000-4000-8000-000000000000' })}.${signature}`,
      unsigned,
      foreign,
      hs256,
      // A refresh token is no access token.
      refresh,
    ];
    for (const token of forged) {
      expect(await refusal(c.bearer(token).auth.me()), token).toMatchObject({
        code: 'UNAUTHORIZED',
        message: messages.invalidToken,
        rest: {
          detail: messages.jwtNotValidForAnyType,
          code: 'token_not_valid',
          messages: [
            { token_class: 'AccessToken', token_type: 'access', message: messages.jwtInvalid },
          ],
        },
      });
    }
    // An access token is no refresh token either.
    expect((await refusal(c.as().jwt.refresh({ refresh: access }))).code).toBe('UNAUTHORIZED');
    // And the real one still works.
    expect(await c.bearer(access).auth.me()).toEqual(user);
  });

  it('key rotation: tokens signed with the previous key work while it is listed, and it is published', async () => {
    const old = pem(generateKeyPairSync('ed25519').privateKey);
    const before = client({ config: testConfig({ JWT_PRIVATE_KEY: old }) });
    const { access, refresh, user } = await userWithPair(before);
    const next = pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const rotated = testConfig({ JWT_PRIVATE_KEY: next, JWT_PREVIOUS_KEYS: old });
    const after = client({ config: rotated, clock: before.clock });
    expect(await after.bearer(access).auth.me()).toEqual(user);
    const renewed = await after.as().jwt.refresh({ refresh });
    expect(decodeProtectedHeader(renewed.access)).toMatchObject({ alg: 'ES256' });
    expect(rotated.jwt?.keys.jwks.keys.map((key) => [key.kty, key.alg])).toEqual([
      ['EC', 'ES256'],
      ['OKP', 'EdDSA'],
    ]);
    // Once the previous key is dropped, its tokens stop.
    const dropped = client({ config: testConfig({ JWT_PRIVATE_KEY: next }), clock: before.clock });
    expect((await refusal(dropped.bearer(access).auth.me())).code).toBe('UNAUTHORIZED');
    expect(await dropped.bearer(renewed.access).auth.me()).toEqual(user);
  });

  it('HS256 with JWT_SECRET, as simplejwt signs by default; the previous secret still checks', async () => {
    const secret = 'a shared secret of at least 32 characters';
    const hs = client({ config: testConfig({ JWT_SECRET: secret }) });
    const { access, user } = await userWithPair(hs);
    expect(decodeProtectedHeader(access)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(await hs.bearer(access).auth.me()).toEqual(user);
    expect(testConfig({ JWT_SECRET: secret }).jwt?.keys.jwks).toEqual({ keys: [] });
    const rotated = client({
      config: testConfig({ JWT_SECRET: `another ${secret}`, JWT_PREVIOUS_SECRET: secret }),
      clock: hs.clock,
    });
    expect(await rotated.bearer(access).auth.me()).toEqual(user);
    const elsewhere = client({ config: testConfig({ JWT_SECRET: `another ${secret}` }) });
    expect((await refusal(elsewhere.bearer(access).auth.me())).code).toBe('UNAUTHORIZED');
  });

  it('without a key, JWT is off: its procedures answer 404 and a Bearer JWT is an invalid token', async () => {
    const { access } = await userWithPair();
    const off = client({ config: { ...config, jwt: undefined } });
    expect(await refusal(off.as().jwt.create({ username: 'someone', password }))).toMatchObject({
      code: 'NOT_FOUND',
      message: messages.jwtOff,
    });
    const { token } = await off.as().auth.signup({ username: uniqueUsername('off'), password });
    expect((await refusal(off.as(`Token ${token}`).jwt.exchange())).code).toBe('NOT_FOUND');
    expect(await refusal(off.bearer(access).auth.me())).toEqual({
      code: 'UNAUTHORIZED',
      message: messages.invalidToken,
      rest: undefined,
    });
  });

  it('JWT sessions count toward the per-user cap, and the purge removes those not refreshed in time', async () => {
    const c = client({
      config: testConfig({ JWT_PRIVATE_KEY: TEST_JWT_KEY, TOKEN_LIMIT_PER_USER: '2' }),
    });
    const { username, refresh } = await userWithPair(c);
    c.clock.advance(SECOND);
    await c.as().auth.login({ username, password });
    c.clock.advance(SECOND);
    const newest = await c.as().jwt.create({ username, password });
    // Three sessions, a cap of two: the oldest (the first JWT session) is gone.
    expect((await refusal(c.as().jwt.refresh({ refresh }))).code).toBe('UNAUTHORIZED');
    const sid = String(decodeJwt(newest.refresh).sid);
    c.clock.advance(DAY + SECOND);
    await purgeExpiredTokens(handle.db, config.tokens, c.clock.now());
    expect(await handle.db.select().from(tokens).where(eq(tokens.id, sid))).toEqual([]);
  });

  it('jwt.exchange turns the opaque token that calls it into a JWT session, in place', async () => {
    const c = client();
    const username = uniqueUsername('jwt');
    const { token, user } = await c.as().auth.signup({ username, password });
    const opaque = c.as(`Token ${token}`);
    const [before] = await opaque.tokens.list();
    const pair = await opaque.jwt.exchange();
    expect(Object.keys(pair)).toEqual(['refresh', 'access']);
    // The same session (device, login time), now a JWT one; the opaque token no longer works.
    expect(decodeJwt(pair.access).sid).toBe(before?.id);
    expect(await c.bearer(pair.access).tokens.list()).toEqual([
      expect.objectContaining({
        id: before?.id,
        createdAt: before?.createdAt,
        kind: 'jwt',
        current: true,
      }),
    ]);
    expect((await refusal(opaque.auth.me())).code).toBe('UNAUTHORIZED');
    expect((await refusal(opaque.jwt.exchange())).code).toBe('UNAUTHORIZED');
    // A JWT cannot be exchanged again; the pair refreshes as any other.
    expect(await refusal(c.bearer(pair.access).jwt.exchange())).toMatchObject({
      code: 'UNAUTHORIZED',
      message: messages.invalidToken,
    });
    const next = await c.as().jwt.refresh({ refresh: pair.refresh });
    expect(await c.bearer(next.access).auth.me()).toEqual(user);
  });

  it('the id in a refresh token is never a working opaque token', async () => {
    const { refresh, c } = await userWithPair();
    const jti = String(decodeJwt(refresh).jti);
    expect((await refusal(c.as(`Token ${jti}`).auth.me())).code).toBe('UNAUTHORIZED');
  });
});
