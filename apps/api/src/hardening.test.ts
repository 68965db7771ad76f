import { request as httpRequest, type Server } from 'node:http';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpConfig } from './config.ts';
import { messages } from './messages.ts';
import { databases } from './test/databases.ts';
import { listen } from './test/http.ts';
import { testServer } from './test/server.ts';

const [pglite] = databases;
if (!pglite) throw new Error('no test database');

/** A 413 as the tRPC face words it, whether the size was announced or streamed. */
const tooLarge = (limit: number) => ({
  error: {
    message: messages.payloadTooLarge(limit),
    data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
  },
});

describe('HTTP hardening', () => {
  let handle: TestDb;
  const servers: Server[] = [];
  beforeAll(async () => {
    handle = await pglite.create();
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await handle?.drop();
  });

  async function start(http: Partial<HttpConfig> = {}) {
    const server = testServer(handle, { http });
    servers.push(server);
    return listen(server);
  }

  it('sends security headers and a request id with every response', async () => {
    const base = await start({ maxBodySize: 4096 });
    const withCors = await start({ corsOrigins: ['https://app.example.com'] });
    const origin = { origin: 'https://app.example.com' };
    for (const res of [
      await fetch(`${base}/health`),
      // Plain calls, answered by our handler: a success, an error with its own headers.
      await fetch(`${base}/trpc/auth.passwordPolicy`),
      await fetch(`${base}/trpc/auth.me`),
      // Answered by tRPC's adapter: a mutation called with GET.
      await fetch(`${base}/trpc/auth.logout`),
      // Refused by the server for its announced size, and by our handler as it streams in.
      await fetch(`${base}/trpc/auth.login`, { method: 'POST', body: 'x'.repeat(5000) }),
      await fetch(`${base}/trpc/auth.login`, {
        method: 'POST',
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(`{"username":"${'a'.repeat(5000)}"}`));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit),
      await fetch(`${base}/nowhere`),
      // With CORS on: a preflight, which the CORS middleware answers itself, and a call.
      await fetch(`${withCors}/trpc/auth.login`, {
        method: 'OPTIONS',
        headers: { ...origin, 'access-control-request-method': 'POST' },
      }),
      await fetch(`${withCors}/trpc/auth.me`, { headers: origin }),
    ]) {
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers plain calls with a Content-Length, not chunked', async () => {
    const base = await start();
    for (const path of ['auth.passwordPolicy', 'auth.me']) {
      const res = await fetch(`${base}/trpc/${path}`);
      const body = await res.arrayBuffer();
      expect(res.headers.get('content-length')).toBe(String(body.byteLength));
      expect(res.headers.get('transfer-encoding')).toBeNull();
    }
  });

  it('gives every response a request id, keeping a sane one the client sent', async () => {
    const base = await start();
    const mine = await fetch(`${base}/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('abc-123');
    const junk = await fetch(`${base}/health`, { headers: { 'x-request-id': 'a b'.repeat(50) } });
    expect(junk.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    // tRPC reads these two for FormData and binary inputs, which no procedure takes.
    'multipart/form-data; boundary=x',
    'application/octet-stream',
  ])('asks for JSON when a body comes as %s', async (contentType) => {
    const base = await start();
    const res = await fetch(`${base}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: '--x\r\n\r\n{}',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({
      error: { message: messages.notJson, data: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    });
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const base = await start();
    const res = await fetch(`${base}/trpc/auth.me`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the configured origins', async () => {
    const base = await start({ corsOrigins: ['https://app.example.com'] });
    const preflight = await fetch(`${base}/trpc/auth.login`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    const allowed = await fetch(`${base}/trpc/auth.me`, {
      headers: { origin: 'https://app.example.com' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const denied = await fetch(`${base}/trpc/auth.me`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  // Regression: the cors package answered every OPTIONS with 204, so the REST
  // face's metadata and 401s never came; and it refused PUT, PATCH and DELETE.
  it("lets the REST face's methods through, and plain OPTIONS reach the face", async () => {
    const base = await start({ corsOrigins: ['https://app.example.com'] });
    const preflight = await fetch(`${base}/api/v1/users/me/`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PATCH' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    const metadata = await fetch(`${base}/api/v1/token/login/`, { method: 'OPTIONS' });
    expect(metadata.status).toBe(200);
    const anonymous = await fetch(`${base}/api/v1/users/me/`, { method: 'OPTIONS' });
    expect(anonymous.status).toBe(401);
  });

  it('refuses an announced oversized body before it is sent', async () => {
    const base = await start({ maxBodySize: 4096 });
    const { port } = new URL(base);
    // Announce 10 MB, send 100 bytes, and wait: the answer must come anyway.
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/trpc/auth.login',
          headers: { 'content-type': 'application/json', 'content-length': 10_000_000 },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('{"username":"'.padEnd(100, 'a'));
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body)).toMatchObject(tooLarge(4096));
  });

  it('refuses an oversized chunked body with 413', async () => {
    const base = await start({ maxBodySize: 4096 });
    // A stream has no Content-Length: fetch sends it chunked.
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"username":"${'a'.repeat(10_000)}"}`));
        controller.close();
      },
    });
    const res = await fetch(`${base}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    // In the same words and shape as an announced one: the configured limit, not a default.
    expect(await res.json()).toMatchObject(tooLarge(4096));
  });

  it.each([
    ['a batch of procedures', 'GET', '/trpc/auth.me,auth.me?batch=1', undefined, 400],
    ['PUT', 'PUT', '/trpc/auth.login', '{}', 405],
    ['DELETE', 'DELETE', '/trpc/auth.logout', undefined, 405],
    ['a path outside /trpc', 'POST', '/auth.login', '{}', 404],
    ['an empty procedure', 'GET', '/trpc/', undefined, 404],
    [
      'deeply nested JSON',
      'POST',
      '/trpc/auth.login',
      `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      400,
    ],
    [
      'a body that is not UTF-8',
      'POST',
      '/trpc/auth.login',
      new Uint8Array([0xff, 0xfe, 0x7b]),
      400,
    ],
  ])('answers %s with %s → %i', async (_, method, path, body, status) => {
    const base = await start({ maxBodySize: 64 * 1024 });
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
