import type { Server } from 'node:http';
import { users } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usernameKey } from './auth/user.ts';
import { messages } from './messages.ts';
import { databases, uniqueUsername } from './test/databases.ts';
import { apiClient, listen } from './test/http.ts';
import { testServer } from './test/server.ts';

const password = 'correct horse battery';
const CONCURRENCY = 50;

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
});
