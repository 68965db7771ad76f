import type { Server } from 'node:http';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from './messages.ts';
import { createRateLimits, type RateLimitConfig } from './rate-limit.ts';
import { databases, uniqueUsername } from './test/databases.ts';
import { apiClient, listen } from './test/http.ts';
import { testServer } from './test/server.ts';

const password = 'correct horse battery';
const MINUTE = 60_000;

const config: RateLimitConfig = {
  passwordFailuresPerUsername: { points: 3, durationMs: 15 * MINUTE },
  passwordFailuresPerIp: { points: 5, durationMs: 15 * MINUTE },
  signupsPerIp: { points: 4, durationMs: 60 * MINUTE },
  signupsPerUsername: { points: 2, durationMs: 60 * MINUTE },
  // Off unless a test turns them on: most tests here log in often on purpose.
  loginsPerIp: null,
  loginsPerUsername: null,
  recoveriesPerIp: { points: 4, durationMs: 60 * MINUTE },
  recoveriesPerAddress: { points: 2, durationMs: 60 * MINUTE },
  confirmationsPerIp: { points: 3, durationMs: 60 * MINUTE },
  ipv6Prefix: 64,
};

let ipCounter = 0;
/** An address no other test has used: PostgreSQL keeps counts across servers. */
function freshIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

describe.each(databases)('rate limits on $name', ({ create }) => {
  let handle: TestDb;
  const servers: Server[] = [];
  beforeAll(async () => {
    handle = await create();
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await handle?.drop();
  });

  /** A fresh API whose clients can claim any IP (one trusted proxy hop). */
  async function api(limits: RateLimitConfig = config) {
    const server = testServer(handle, {
      services: { limits: createRateLimits(limits, handle) },
      http: { trustProxy: 1 },
    });
    servers.push(server);
    const client = apiClient(await listen(server));
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    return { mutate: client.mutate, from };
  }

  async function userOn(client: Awaited<ReturnType<typeof api>>) {
    const username = uniqueUsername();
    const res = await client.mutate('auth.signup', { username, password }, client.from(freshIp()));
    expect(res.status).toBe(200);
    return { username, token: res.body.result?.data?.token ?? '' };
  }

  it('limits wrong passwords per username, from any number of IPs', async () => {
    const client = await api();
    const { username } = await userOn(client);
    for (let i = 0; i < 3; i++) {
      const res = await client.mutate(
        'auth.login',
        { username, password: 'wrong guess' },
        client.from(freshIp()),
      );
      expect(res.status).toBe(400);
    }
    // Spent: even the right password, from yet another IP, waits.
    const refused = await client.mutate(
      'auth.login',
      { username: username.toUpperCase(), password },
      client.from(freshIp()),
    );
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(refused.body.error?.message).toMatch(
      /^Too many attempts\. Try again in 1[45] minutes\.$/,
    );
    // Another account is not affected.
    const other = await userOn(client);
    const ok = await client.mutate(
      'auth.login',
      { username: other.username, password },
      client.from(freshIp()),
    );
    expect(ok.status).toBe(200);
  });

  it('counts jwt.create as a login: its wrong passwords spend the same limit', async () => {
    const client = await api();
    const { username } = await userOn(client);
    const attempts = [
      ['jwt.create', 401],
      ['auth.login', 400],
      ['jwt.create', 401],
    ] as const;
    for (const [procedure, status] of attempts) {
      const res = await client.mutate(
        procedure,
        { username, password: 'wrong guess' },
        client.from(freshIp()),
      );
      expect(res.status).toBe(status);
    }
    const refused = await client.mutate(
      'jwt.create',
      { username, password },
      client.from(freshIp()),
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
  });

  it('limits wrong passwords per IP, across usernames, leaving other IPs alone', async () => {
    const client = await api();
    const attacker = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await client.mutate(
        'auth.login',
        { username: uniqueUsername('guess'), password: 'wrong guess' },
        client.from(attacker),
      );
      expect(res.status).toBe(400);
    }
    const refused = await client.mutate(
      'auth.login',
      { username: uniqueUsername('guess'), password: 'wrong guess' },
      client.from(attacker),
    );
    expect(refused.status).toBe(429);

    const { username } = await userOn(client);
    const elsewhere = await client.mutate(
      'auth.login',
      { username, password },
      client.from(freshIp()),
    );
    expect(elsewhere.status).toBe(200);
  });

  it('never counts successful logins', async () => {
    const client = await api();
    const { username } = await userOn(client);
    const ip = freshIp();
    for (let i = 0; i < 12; i++) {
      const res = await client.mutate('auth.login', { username, password }, client.from(ip));
      expect(res.status).toBe(200);
    }
  });

  // Regression: a right password gave its attempt back, so one account could run bcrypt
  // (and mint tokens) without end.
  it('limits logins per IP and per username, right passwords included', async () => {
    const limited = {
      ...config,
      loginsPerIp: { points: 3, durationMs: MINUTE },
      loginsPerUsername: { points: 4, durationMs: MINUTE },
    };
    const client = await api(limited);
    const login = async (username: string, ip: string) =>
      (await client.mutate('auth.login', { username, password }, client.from(ip))).status;
    const ip = freshIp();
    const perIp = [];
    for (let i = 0; i < 4; i++) perIp.push(await login((await userOn(client)).username, ip));
    expect(perIp).toEqual([200, 200, 200, 429]);
    // Per username, from networks it never logged in from: four, then no more.
    const { username } = await userOn(client);
    const perUsername = [];
    for (let i = 0; i < 5; i++) perUsername.push(await login(username, freshIp()));
    expect(perUsername).toEqual([200, 200, 200, 200, 429]);
  });

  // Regression: strangers spending a username's budget every window kept its owner out for good.
  it('lets the owner in from a network they logged in from, whatever strangers spend', async () => {
    const client = await api({
      ...config,
      loginsPerIp: { points: 100, durationMs: MINUTE },
      loginsPerUsername: { points: 4, durationMs: MINUTE },
    });
    const home = freshIp();
    const username = uniqueUsername();
    const signup = await client.mutate('auth.signup', { username, password }, client.from(home));
    expect(signup.status).toBe(200);
    const token = signup.body.result?.data?.token ?? '';
    // Strangers spend the username's budgets, of wrong passwords and of logins.
    for (let i = 0; i < 3; i++) {
      const guess = { username, password: 'wrong guess' };
      expect((await client.mutate('auth.login', guess, client.from(freshIp()))).status).toBe(400);
    }
    const right = { username, password };
    expect((await client.mutate('auth.login', right, client.from(freshIp()))).status).toBe(429);
    // Logged in, the owner can still change the password under attack…
    const newPassword = 'a brand new passphrase';
    const change = await client.mutate(
      'account.changePassword',
      { currentPassword: password, newPassword },
      { authorization: `Token ${token}`, ...client.from(freshIp()) },
    );
    expect(change.status).toBe(200);
    // …and log in at home, counted apart: still in, and still limited there.
    const changed = { username, password: newPassword };
    expect((await client.mutate('auth.login', changed, client.from(home))).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const typo = { username, password: 'a typo at home' };
      expect((await client.mutate('auth.login', typo, client.from(home))).status).toBe(400);
    }
    expect((await client.mutate('auth.login', changed, client.from(home))).status).toBe(429);
  });

  // Regression: refused attempts were counted, so a burst of right passwords locked the account.
  it('leaves no trace of a burst of right passwords', async () => {
    const client = await api();
    const { username } = await userOn(client);
    const burst = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.mutate('auth.login', { username, password }, client.from(freshIp())),
      ),
    );
    expect(burst.some((r) => r.status === 200)).toBe(true);
    // The whole budget of wrong guesses is left, and then the right password still works.
    for (let i = 0; i < 3; i++) {
      const guess = { username, password: 'wrong guess' };
      expect((await client.mutate('auth.login', guess, client.from(freshIp()))).status).toBe(400);
    }
    const limited = await client.mutate(
      'auth.login',
      { username, password },
      client.from(freshIp()),
    );
    expect(limited.status).toBe(429);
  });

  // Regression: a lower-cased name longer than the key column sent the limiter to memory.
  it('counts a 150-character username in the shared store like any other', async () => {
    const a = await api();
    // Two servers share counts only through PostgreSQL; with PGlite, one server.
    const b = handle.driver === 'postgres' ? await api() : a;
    // 'İ' lower-cases to two code units: 300 characters of key.
    const username = 'İ'.repeat(150);
    const signup = await a.mutate('auth.signup', { username, password }, a.from(freshIp()));
    expect(signup.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const guess = { username, password: 'wrong guess' };
      const server = i % 2 ? a : b;
      expect((await server.mutate('auth.login', guess, server.from(freshIp()))).status).toBe(400);
    }
    const spent = await a.mutate('auth.login', { username, password }, a.from(freshIp()));
    expect(spent.status).toBe(429);
  });

  // Regression: a taken name answered 409 and cost nothing, so names could be probed freely.
  it('counts renames like signups', async () => {
    const client = await api();
    const { token } = await userOn(client);
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await client.mutate(
        'account.changeUsername',
        { currentPassword: password, newUsername: uniqueUsername('probe') },
        { authorization: `Token ${token}`, ...client.from(ip) },
      );
      statuses.push(res.status);
    }
    // signupsPerIp is 4 in this suite.
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('counts wrong current passwords on account changes per token, apart from strangers', async () => {
    const client = await api();
    const { username, token } = await userOn(client);
    const auth = { authorization: `Token ${token}` };
    // From a new address each time: a token's guesses are counted together wherever it is.
    for (let i = 0; i < 3; i++) {
      const res = await client.mutate(
        'account.delete',
        { currentPassword: 'wrong guess' },
        { ...auth, ...client.from(freshIp()) },
      );
      expect(res.status).toBe(400);
    }
    const change = await client.mutate(
      'account.changePassword',
      { currentPassword: password, newPassword: 'another fine passphrase' },
      { ...auth, ...client.from(freshIp()) },
    );
    expect(change.status).toBe(429);
    // Someone holding that token cannot lock the owner out of logging in.
    const login = await client.mutate('auth.login', { username, password }, client.from(freshIp()));
    expect(login.status).toBe(200);
  });

  it('limits signups per IP and per username', async () => {
    const client = await api();
    const ip = freshIp();
    for (let i = 0; i < 4; i++) {
      const res = await client.mutate(
        'auth.signup',
        { username: uniqueUsername(), password },
        client.from(ip),
      );
      expect(res.status).toBe(200);
    }
    const refused = await client.mutate(
      'auth.signup',
      { username: uniqueUsername(), password },
      client.from(ip),
    );
    expect(refused.status).toBe(429);
    expect(refused.body.error?.message).toBe('Too many attempts. Try again in 1 hour.');

    const contested = uniqueUsername('wanted');
    for (const expected of [200, 409]) {
      const res = await client.mutate(
        'auth.signup',
        { username: contested, password },
        client.from(freshIp()),
      );
      expect(res.status).toBe(expected);
    }
    const probe = await client.mutate(
      'auth.signup',
      { username: contested, password },
      client.from(freshIp()),
    );
    expect(probe.status).toBe(429);
  });

  it('lets racing guesses through no faster than the limit', async () => {
    const client = await api();
    const { username } = await userOn(client);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.mutate('auth.login', { username, password: 'wrong guess' }, client.from(freshIp())),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 400)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('shares counts between servers on one database only with PostgreSQL', async () => {
    const a = await api();
    const b = await api();
    const { username } = await userOn(a);
    for (const client of [a, b, a]) {
      const res = await client.mutate(
        'auth.login',
        { username, password: 'wrong guess' },
        client.from(freshIp()),
      );
      expect(res.status).toBe(400);
    }
    const refused = await b.mutate('auth.login', { username, password }, b.from(freshIp()));
    // PostgreSQL keeps one count for every server; PGlite's memory store is per server.
    expect(refused.status).toBe(handle.driver === 'postgres' ? 429 : 200);
  });

  it('says nothing about whether the user exists when limited', async () => {
    const client = await api();
    const ghost = uniqueUsername('ghost');
    for (let i = 0; i < 3; i++) {
      await client.mutate('auth.login', { username: ghost, password }, client.from(freshIp()));
    }
    const refused = await client.mutate(
      'auth.login',
      { username: ghost, password },
      client.from(freshIp()),
    );
    expect(refused.status).toBe(429);
    expect(refused.body.error?.message).not.toContain(messages.invalidCredentials);
  });
});
