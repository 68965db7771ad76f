import type { Server } from 'node:http';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from './messages.ts';
import { databases, uniqueUsername } from './test/databases.ts';
import { listen } from './test/http.ts';
import { testServer } from './test/server.ts';

describe.each(databases)('HTTP API on $name', ({ create }) => {
  let handle: TestDb;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    handle = await create();
    server = testServer(handle);
    base = await listen(server);
  });
  afterAll(async () => {
    server?.close();
    await handle?.drop();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function signup() {
    const username = uniqueUsername();
    const res = await post('auth.signup', { username, password: 'correct horse battery' });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { data: { token: string } } };
    return { username, token: result.data.token };
  }

  it('speaks plain JSON: signup → me → logout → me', async () => {
    const { username, token } = await signup();
    const me = await fetch(`${base}/trpc/auth.me`, {
      headers: { authorization: `Token ${token}` },
    });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(await me.json()).toMatchObject({ result: { data: { username } } });

    // No body and no Content-Type, as `curl -X POST` sends.
    const logout = await fetch(`${base}/trpc/auth.logout`, {
      method: 'POST',
      headers: { authorization: `Token ${token}` },
    });
    expect(logout.status).toBe(200);

    const after = await fetch(`${base}/trpc/auth.me`, {
      headers: { authorization: `Token ${token}` },
    });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { message: messages.invalidToken } });
  });

  it.each([
    [{}, messages.notAuthenticated],
    [{ authorization: 'Token' }, messages.tokenHeaderNoCredentials],
    [{ authorization: 'Token a b' }, messages.tokenHeaderSpaces],
    [{ authorization: 'bearer nope' }, messages.invalidToken],
  ])('answers 401 with WWW-Authenticate to %j', async (headers, message) => {
    const res = await fetch(`${base}/trpc/auth.me`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Token');
    const body = (await res.json()) as { error: { message: string; data: object } };
    expect(body.error.message).toBe(message);
    expect(body.error.data).not.toHaveProperty('stack');
  });

  it('accepts the scheme in any case, with extra spaces, and Bearer', async () => {
    const { token } = await signup();
    for (const authorization of [`TOKEN   ${token}  `, `bearer ${token}`]) {
      const res = await fetch(`${base}/trpc/auth.me`, { headers: { authorization } });
      expect(res.status).toBe(200);
    }
  });

  it.each([
    ['malformed JSON', 'auth.login', '{"username":', 400],
    ['an array', 'auth.login', '[1,2]', 400],
    ['null', 'auth.signup', 'null', 400],
    ['wrong types', 'auth.signup', { username: ['a'], password: { $ne: 1 } }, 400],
    ['an unknown procedure', 'auth.nope', {}, 404],
  ])('answers %s with a clear 4xx and no stack', async (_, path, body, status) => {
    const res = await post(path, body);
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).not.toMatch(/\bat .+:\d+:\d+/); // no stack frames
    expect(JSON.parse(text)).toMatchObject({ error: { message: expect.any(String) } });
  });

  it('names the bad field and says why', async () => {
    const res = await post('auth.signup', { username: 'x', password: 'x7#q' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; data: { zodError: unknown } } };
    expect(body.error.data.zodError).toEqual({
      formErrors: [],
      fieldErrors: {
        username: [messages.usernameTooShort],
        password: [messages.passwordTooShort(8)],
      },
    });
    expect(body.error.message).toBe(`${messages.usernameTooShort} ${messages.passwordTooShort(8)}`);
  });

  it('says so when the body is not JSON', async () => {
    const res = await post('auth.login', '{"username":');
    expect(await res.json()).toMatchObject({ error: { message: messages.malformedJson } });
  });

  it('answers 405 to a mutation sent with GET', async () => {
    const res = await fetch(`${base}/trpc/auth.login`);
    expect(res.status).toBe(405);
  });

  it('answers 409 to a duplicate signup and 400 to bad credentials', async () => {
    const { username } = await signup();
    const dup = await post('auth.signup', { username, password: 'another password' });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: { message: messages.usernameTaken } });
    const bad = await post('auth.login', { username, password: 'wrong password' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: messages.invalidCredentials } });
  });

  it('answers /health and 404 elsewhere', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const missing = await fetch(`${base}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { message: messages.notFound } });
  });
});

describe('HTTP API when the database is gone', () => {
  it('reports 503 on /health', async () => {
    const [first] = databases;
    if (!first) throw new Error('no test database');
    const handle = await first.create();
    const server = testServer(handle);
    const base = await listen(server);
    try {
      await handle.close();
      const res = await fetch(`${base}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'unavailable',
        message: messages.databaseUnavailable,
      });
    } finally {
      server.close();
    }
  });
});
