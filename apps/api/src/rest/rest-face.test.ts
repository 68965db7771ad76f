import type { Server } from 'node:http';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimits } from '../rate-limit.ts';
import { config, databases, uniqueUsername } from '../test/databases.ts';
import { listen } from '../test/http.ts';
import { restClient } from '../test/rest-client.ts';
import { testServer } from '../test/server.ts';

const password = 'Xy7-long-enough-pw';

/**
 * Rows of shared/contracts/djoser-rest.md (Part 2, where Part 1 keeps it),
 * replayed against the REST face: status, exact body and the headers DRF
 * clients read.
 */
describe.each(databases)('the REST face on $name', ({ create }) => {
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

  const call = (...args: Parameters<ReturnType<typeof restClient>>) => restClient(base)(...args);

  /** A user made through the tRPC face, and a token for them from the REST face. */
  async function user() {
    const username = uniqueUsername('rest');
    const signup = await fetch(`${base}/trpc/auth.signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const { result } = (await signup.json()) as { result: { data: { token: string } } };
    return { username, trpcToken: result.data.token };
  }

  it('POST token/login/ answers {"auth_token"}, a token that works on both faces', async () => {
    const { username } = await user();
    const login = await call('POST', '/api/v1/token/login/', { json: { username, password } });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body as object)).toEqual(['auth_token']);
    const token = (login.body as { auth_token: string }).auth_token;
    const me = await call('GET', '/api/v1/users/me/', { token });
    expect(me.status).toBe(200);
    expect(me.text).toMatch(
      new RegExp(`^\\{"email":"","id":"[0-9a-f-]{36}","username":"${username}"\\}$`),
    );
    const trpc = await fetch(`${base}/trpc/auth.me`, {
      headers: { authorization: `Token ${token}` },
    });
    expect(trpc.status).toBe(200);
  });

  it.each([
    ['bad password', (username: string) => ({ username, password: 'wrong' })],
    ['unknown user', () => ({ username: 'nobody_at_all', password })],
    ['missing fields {}', () => ({})],
    ['missing password', (username: string) => ({ username })],
  ])('POST token/login/ with %s: 400 non_field_errors', async (_, body) => {
    const { username } = await user();
    const login = await call('POST', '/api/v1/token/login', { json: body(username) });
    expect(login.status).toBe(400);
    expect(login.text).toBe('{"non_field_errors":["Unable to log in with provided credentials."]}');
  });

  it('GET token/login/: 405 in DRF words', async () => {
    const res = await call('GET', '/api/v1/token/login/');
    expect(res.status).toBe(405);
    expect(res.text).toBe('{"detail":"Method \\"GET\\" not allowed."}');
  });

  it('POST token/logout/: 204 with no body, then the token is dead on both faces', async () => {
    const { trpcToken } = await user();
    const logout = await call('POST', '/api/v1/token/logout/', { token: trpcToken });
    expect(logout.status).toBe(204);
    expect(logout.text).toBe('');
    expect(logout.headers.get('content-type')).toBeNull();
    const again = await call('POST', '/api/v1/token/logout/', { token: trpcToken });
    expect(again.status).toBe(401);
    expect(again.text).toBe('{"detail":"Invalid token."}');
    const me = await call('GET', '/api/v1/users/me/', { token: trpcToken });
    expect(me.text).toBe('{"detail":"Invalid token."}');
  });

  it.each([
    [undefined, 401, '{"detail":"Authentication credentials were not provided."}'],
    ['Token', 401, '{"detail":"Invalid token header. No credentials provided."}'],
    [
      'Token a b',
      401,
      '{"detail":"Invalid token header. Token string should not contain spaces."}',
    ],
    [`Token ${'d'.repeat(40)}`, 401, '{"detail":"Invalid token."}'],
    ['Basic Zm9vOmJhcg==', 401, '{"detail":"Authentication credentials were not provided."}'],
  ])('GET users/me/ with Authorization %j: %i', async (auth, status, text) => {
    const res = await call('GET', '/api/v1/users/me/', { auth });
    expect(res.status).toBe(status);
    expect(res.text).toBe(text);
    expect(res.headers.get('www-authenticate')).toBe('Token');
  });

  it('accepts the scheme in any case, extra spaces, and Bearer (Part 1)', async () => {
    const { trpcToken } = await user();
    for (const auth of [`token ${trpcToken}`, `TOKEN   ${trpcToken}  `, `Bearer ${trpcToken}`]) {
      expect((await call('GET', '/api/v1/users/me', { auth })).status).toBe(200);
    }
  });

  it('answers a bad token with 401 even where no token is needed', async () => {
    const res = await call('POST', '/api/v1/token/login/', {
      json: {},
      auth: `Token ${'d'.repeat(40)}`,
    });
    expect(res.status).toBe(401);
    expect(res.text).toBe('{"detail":"Invalid token."}');
  });

  it('POST /api/get-token/ and /api-token-auth/: {"token"}, with required fields', async () => {
    const { username } = await user();
    for (const path of ['/api/get-token/', '/api-token-auth/', '/api-token-auth']) {
      const ok = await call('POST', path, { json: { username, password } });
      expect(ok.status).toBe(200);
      expect(Object.keys(ok.body as object)).toEqual(['token']);
      const missing = await call('POST', path, { json: {} });
      expect(missing.status).toBe(400);
      expect(missing.text).toBe(
        '{"username":["This field is required."],"password":["This field is required."]}',
      );
    }
    const blank = await call('POST', '/api/get-token/', { json: { username: '', password: '' } });
    expect(blank.text).toBe(
      '{"username":["This field may not be blank."],"password":["This field may not be blank."]}',
    );
  });

  it('reads forms as httpie --form sends them; refuses other types in DRF words', async () => {
    const { username } = await user();
    const form = await call('POST', '/api/v1/token/login/', {
      raw: new URLSearchParams({ username, password }).toString(),
      type: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(200);
    const text = await call('POST', '/api/v1/token/login/', { raw: 'x', type: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.text).toBe('{"detail":"Unsupported media type \\"text/plain\\" in request."}');
  });

  it('answers malformed and non-object JSON as DRF does', async () => {
    const bad = await call('POST', '/api/v1/token/login/', {
      raw: '{"username": ',
      type: 'application/json',
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { detail: string }).detail).toMatch(/^JSON parse error - /);
    const list = await call('POST', '/api/v1/token/login/', { json: [1, 2] });
    expect(list.text).toBe(
      '{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}',
    );
  });

  it('throttles as DRF words it, with Retry-After', async () => {
    const limits = { ...config.rateLimits, loginsPerIp: { points: 1, durationMs: 60_000 } };
    const throttled = testServer(handle, {
      services: { limits: createRateLimits(limits, handle) },
    });
    const throttledBase = await listen(throttled);
    try {
      const login = () =>
        fetch(`${throttledBase}/api/v1/token/login/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'someone', password: 'a guess' }),
        });
      expect((await login()).status).toBe(400);
      const refused = await login();
      expect(refused.status).toBe(429);
      const seconds = Number(refused.headers.get('retry-after'));
      expect(seconds).toBeGreaterThan(0);
      expect(await refused.text()).toBe(
        `{"detail":"Request was throttled. Expected available in ${seconds} seconds."}`,
      );
    } finally {
      throttled.close();
    }
  });

  it('negotiates as DRF: JSON for */* and text/html, 406 for what it cannot render', async () => {
    const { trpcToken } = await user();
    for (const accept of ['*/*', 'text/html,application/xhtml+xml;q=0.9', 'application/json']) {
      const res = await fetch(`${base}/api/v1/users/me/`, {
        headers: { accept, authorization: `Token ${trpcToken}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
    }
    const xml = await fetch(`${base}/api/v1/users/me/`, { headers: { accept: 'application/xml' } });
    expect(xml.status).toBe(406);
    expect(await xml.text()).toBe('{"detail":"Could not satisfy the request Accept header."}');
  });

  it('answers OPTIONS with DRF metadata on a public endpoint, 401 on a protected one', async () => {
    const options = await call('OPTIONS', '/api/v1/token/login/');
    expect(options.status).toBe(200);
    expect(options.headers.get('allow')).toBe('POST, OPTIONS');
    expect(Object.keys(options.body as object)).toEqual([
      'name',
      'description',
      'renders',
      'parses',
    ]);
    expect((await call('OPTIONS', '/api/v1/users/me/')).status).toBe(401);
  });

  it('answers HEAD as GET, without the body', async () => {
    const { trpcToken } = await user();
    const res = await call('HEAD', '/api/v1/users/me/', { token: trpcToken });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const login = await call('HEAD', '/api/v1/token/login/');
    expect(login.status).toBe(405);
  });

  // Regression: a signup with a weak password told whether the name was taken
  // (Django's order), without counting against the signup limit.
  it('counts a signup that only learns the name is taken against the signup limit', async () => {
    const { username } = await user();
    const limits = { ...config.rateLimits, signupsPerIp: { points: 1, durationMs: 60_000 } };
    const limited = testServer(handle, { services: { limits: createRateLimits(limits, handle) } });
    const limitedBase = await listen(limited);
    try {
      const probe = () =>
        fetch(`${limitedBase}/api/v1/users/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: '12345' }),
        });
      expect((await probe()).status).toBe(400);
      expect((await probe()).status).toBe(429);
    } finally {
      limited.close();
    }
  });

  it('answers unknown paths with JSON, and keeps the security headers', async () => {
    const res = await call('GET', '/api/v1/nothing/');
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"detail":"Not found."}');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});
