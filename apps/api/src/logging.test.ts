import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { users } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from './auth/token.ts';
import { createLogger } from './logger.ts';
import { databases, uniqueUsername } from './test/databases.ts';
import { apiClient, listen } from './test/http.ts';
import { testServer } from './test/server.ts';

const [pglite] = databases;
if (!pglite) throw new Error('no test database');

describe('logs', () => {
  let handle: TestDb;
  let server: Server;
  let api: ReturnType<typeof apiClient>;
  const lines: string[] = [];

  beforeAll(async () => {
    handle = await pglite.create();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    server = testServer(handle, { logger: createLogger({ level: 'trace' }, sink) });
    api = apiClient(await listen(server));
  });
  afterAll(async () => {
    server?.close();
    await handle?.drop();
  });

  it('never contain a password, a token or a hash, even when things fail', async () => {
    const username = uniqueUsername('logged');
    const password = 'secret-Password-123';
    const newPassword = 'another-Secret-456';
    const signup = await api.mutate('auth.signup', {
      username,
      password,
      email: 'logged@example.com',
    });
    const first = signup.body.result?.data?.token ?? '';
    const login = await api.mutate('auth.login', { username, password });
    const second = login.body.result?.data?.token ?? '';
    const auth = { authorization: `Token ${second}` };
    await api.query('auth.me', auth);
    await api.mutate('auth.login', { username, password: 'wrong-Guess-789' });
    await api.mutate('account.changePassword', { currentPassword: password, newPassword }, auth);
    await api.query('auth.me', { authorization: `Token ${first}` }); // revoked: 401
    await api.query(`auth.me?input=${encodeURIComponent(JSON.stringify({ password }))}`, auth);
    const [row] = await handle.db.select().from(users).where(eq(users.username, username));
    const passwordHash = row?.passwordHash ?? '';

    // Now the database goes away mid-flight: the failing queries carry token hashes.
    await handle.close();
    const down = await api.query('auth.me', auth);
    expect(down.status).toBe(503);
    await api.mutate('auth.login', { username, password: newPassword });

    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(8);
    for (const secret of [
      password,
      newPassword,
      'wrong-Guess-789',
      first,
      second,
      hashToken(first),
      hashToken(second),
      passwordHash,
      passwordHash.slice(7), // the bcrypt salt and hash, without the "$2b$04$" prefix
    ]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(log).not.toContain(secret);
    }
    // What the logs are for is still there.
    expect(log).toContain('database unavailable');
    expect(log).toContain('Failed query');
    expect(log).toContain('params: [hidden]');
  });

  it('tag every request line with its id, method, path and status', () => {
    const requests = lines
      .map((line) => JSON.parse(line) as { req?: { id?: string; path?: string }; res?: unknown })
      .filter((entry) => entry.req && entry.res);
    expect(requests.length).toBeGreaterThan(5);
    for (const entry of requests) {
      expect(entry).toMatchObject({
        req: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), method: expect.any(String) },
        res: { statusCode: expect.any(Number) },
      });
      expect(entry.req?.path).not.toContain('?');
    }
  });
});
