import { createPublicKey } from 'node:crypto';
import type { Server } from 'node:http';
import type { TestDb } from '@tokenauth/db/testing';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../messages.ts';
import { config, databases, TEST_JWT_KEY, uniqueUsername } from '../test/databases.ts';
import { apiClient, listen } from '../test/http.ts';
import { restClient } from '../test/rest-client.ts';
import { testServer } from '../test/server.ts';

const password = 'Xy7-long-enough-pw';
const invalid = { detail: messages.jwtInvalid, code: 'token_not_valid' };
const bearer = 'Bearer realm="api"';

/** simplejwt's views under Djoser's JWT paths, and Bearer access tokens on both faces, over HTTP. */
describe.each(databases)('JWT over HTTP on $name', ({ create }) => {
  let handle: TestDb;
  let server: Server;
  let base: string;
  let call: ReturnType<typeof restClient>;

  beforeAll(async () => {
    handle = await create();
    server = testServer(handle);
    base = await listen(server);
    call = restClient(base);
  });
  afterAll(async () => {
    server?.close();
    await handle?.drop();
  });

  async function pair() {
    const username = uniqueUsername('jwt');
    expect((await call('POST', '/api/v1/users/', { json: { username, password } })).status).toBe(
      201,
    );
    const created = await call('POST', '/api/v1/jwt/create/', { json: { username, password } });
    expect(created.status).toBe(200);
    return { username, ...(created.body as { refresh: string; access: string }) };
  }

  it('jwt/create/ answers exactly {"refresh","access"}; the access token works as Bearer on users/me/', async () => {
    const { username, refresh, access } = await pair();
    expect(
      Object.keys(
        (await call('POST', '/api/v1/jwt/create/', { json: { username, password } }))
          .body as object,
      ),
    ).toEqual(['refresh', 'access']);
    expect(refresh).not.toBe(access);
    const me = await call('GET', '/api/v1/users/me/', { auth: `Bearer ${access}` });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username });
    // Forms too, as httpie --form sends them.
    const form = await call('POST', '/api/v1/jwt/create/', {
      raw: new URLSearchParams({ username, password }).toString(),
      type: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(200);
  });

  it("jwt/create/ answers simplejwt's 401 for wrong credentials and DRF's 400 for missing fields", async () => {
    const { username } = await pair();
    const wrong = await call('POST', '/api/v1/jwt/create/', {
      json: { username, password: 'not it at all' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe('{"detail":"No active account found with the given credentials"}');
    expect(wrong.headers.get('www-authenticate')).toBe(bearer);
    const missing = await call('POST', '/api/v1/jwt/create/', { json: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      username: [messages.required],
      password: [messages.required],
    });
  });

  it("jwt/refresh/ rotates; a retired refresh token gets simplejwt's 401 and ends the session", async () => {
    const { refresh } = await pair();
    const renewed = await call('POST', '/api/v1/jwt/refresh/', { json: { refresh } });
    expect(renewed.status).toBe(200);
    const next = renewed.body as { access: string; refresh: string };
    expect(Object.keys(next)).toEqual(['access', 'refresh']);
    const reused = await call('POST', '/api/v1/jwt/refresh/', { json: { refresh } });
    expect(reused.status).toBe(401);
    expect(reused.text).toBe(JSON.stringify(invalid));
    expect(reused.headers.get('www-authenticate')).toBe(bearer);
    expect((await call('POST', '/api/v1/jwt/refresh/', { json: next })).status).toBe(401);
    expect((await call('POST', '/api/v1/jwt/refresh/', { json: {} })).body).toEqual({
      refresh: [messages.required],
    });
  });

  it("jwt/ endpoints ignore the Authorization header, as simplejwt's views do", async () => {
    const { username, access, refresh } = await pair();
    // A client that sends its (expired, or broken) access token with every request can still refresh.
    for (const auth of [`Bearer ${access}x`, 'Token nope', 'Bearer']) {
      const renewed = await call('POST', '/api/v1/jwt/verify/', { json: { token: refresh }, auth });
      expect([auth, renewed.status]).toEqual([auth, 200]);
    }
    const renewed = await call('POST', '/api/v1/jwt/refresh/', {
      json: { refresh },
      auth: `Bearer ${access}x`,
    });
    expect(renewed.status).toBe(200);
    const created = await call('POST', '/api/v1/jwt/create/', {
      json: { username, password },
      auth: 'Token nope',
    });
    expect(created.status).toBe(200);
    // Nor for a method they do not serve: 405, as simplejwt answers.
    const get = await call('GET', '/api/v1/jwt/refresh/', { auth: `Bearer ${access}x` });
    expect(get.status).toBe(405);
    // A token far larger than any of ours is refused as any other.
    const huge = await call('POST', '/api/v1/jwt/verify/', { json: { token: 'a'.repeat(50_000) } });
    expect([huge.status, huge.body]).toEqual([401, invalid]);
  });

  it('jwt/verify/ answers {} for a live token and 401 otherwise', async () => {
    const { access, refresh } = await pair();
    for (const token of [access, refresh]) {
      const ok = await call('POST', '/api/v1/jwt/verify/', { json: { token } });
      expect([ok.status, ok.text]).toEqual([200, '{}']);
    }
    const bad = await call('POST', '/api/v1/jwt/verify/', { json: { token: 'abc' } });
    expect([bad.status, bad.body]).toEqual([401, invalid]);
  });

  it("a bad access token in the header gets simplejwt's body on REST and the usual one on tRPC", async () => {
    const { access } = await pair();
    const tampered = `${access.slice(0, -4)}AAAA`;
    const rest = await call('GET', '/api/v1/users/me/', { auth: `Bearer ${tampered}` });
    expect(rest.status).toBe(401);
    expect(rest.body).toEqual({
      detail: messages.jwtNotValidForAnyType,
      code: 'token_not_valid',
      messages: [
        { token_class: 'AccessToken', token_type: 'access', message: messages.jwtInvalid },
      ],
    });
    expect(rest.headers.get('www-authenticate')).toBe(bearer);
    const trpc = await apiClient(base).query('auth.me', { authorization: `Bearer ${tampered}` });
    expect(trpc.status).toBe(401);
    expect(trpc.body.error?.message).toBe(messages.invalidToken);
    expect(trpc.headers.get('www-authenticate')).toBe(bearer);
    // An opaque token gone bad is still DRF's.
    const opaque = await call('GET', '/api/v1/users/me/', { auth: 'Bearer nope' });
    expect([opaque.status, opaque.body]).toEqual([401, { detail: messages.invalidToken }]);
    expect(opaque.headers.get('www-authenticate')).toBe('Token');
  });

  it('logging out with an access token on token/logout/ ends its JWT session', async () => {
    const { access, refresh } = await pair();
    const out = await call('POST', '/api/v1/token/logout/', { auth: `Bearer ${access}` });
    expect(out.status).toBe(204);
    expect((await call('POST', '/api/v1/jwt/refresh/', { json: { refresh } })).status).toBe(401);
  });

  it('GET /.well-known/jwks.json publishes the key that checks the access tokens', async () => {
    const { access } = await pair();
    const res = await fetch(`${base}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const { keys } = (await res.json()) as { keys: Array<Record<string, string>> };
    const published = keys.find((key) => key.kid === decodeProtectedHeader(access).kid);
    expect(published).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(published).not.toHaveProperty('d');
    // Another service checks the token with the published key alone.
    const key = await importJWK(published as Record<string, string>, 'EdDSA');
    const { payload } = await jwtVerify(access, key);
    expect(payload.token_type).toBe('access');
    expect(createPublicKey(TEST_JWT_KEY).export({ format: 'jwk' })).toMatchObject({
      x: published?.x,
    });
    expect((await fetch(`${base}/.well-known/jwks.json`, { method: 'POST' })).status).toBe(405);
  });

  it('without a key, JWT paths answer 404 and there is no JWKS', async () => {
    const off = testServer(handle, { config: { ...config, jwt: undefined }, services: {} });
    try {
      const offCall = restClient(await listen(off));
      const res = await offCall('POST', '/api/v1/jwt/create/', {
        json: { username: 'someone', password },
      });
      expect([res.status, res.body]).toEqual([404, { detail: messages.notFound }]);
      expect((await offCall('GET', '/.well-known/jwks.json')).status).toBe(404);
    } finally {
      off.close();
    }
  });
});
