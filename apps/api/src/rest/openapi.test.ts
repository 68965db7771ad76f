import type { Server } from 'node:http';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, databases, testRouter } from '../test/databases.ts';
import { listen } from '../test/http.ts';
import { procedures } from '../test/procedures.ts';
import { testServer } from '../test/server.ts';
import { restRoutes } from './routes.ts';

type Document = { paths: Record<string, Record<string, unknown>> };
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

describe('GET /api/openapi.json', () => {
  let handle: TestDb;
  let server: Server;
  let base: string;
  let document: Document;

  beforeAll(async () => {
    handle = await (databases[0] as (typeof databases)[number]).create();
    server = testServer(handle);
    base = await listen(server);
    const res = await fetch(`${base}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    document = (await res.json()) as Document;
  });
  afterAll(async () => {
    server?.close();
    await handle?.drop();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(
      document as unknown as Parameters<Validator['validate']>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every REST route and tRPC procedure, and nothing else', () => {
    const listed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = [
      ...restRoutes(config.passwords.minLength).flatMap((route) =>
        Object.keys(route.methods).map((method) => `${method} ${route.path}`),
      ),
      ...procedures.map(({ path, type }) => `${type === 'query' ? 'GET' : 'POST'} /trpc/${path}`),
      'GET /health',
      'GET /api/openapi.json',
      'GET /api/docs',
      ...(config.mail.devOutbox ? ['GET /api/dev/outbox'] : []),
    ];
    expect(listed.sort()).toEqual(served.sort());
    expect(procedures.length).toBe(Object.keys(testRouter._def.procedures).length);
  });

  it('matches what the server answers: every listed method is served, every other is not', async () => {
    for (const [template, methods] of Object.entries(document.paths)) {
      const path = template.replace('{id}', '00000000-0000-4000-8000-000000000000');
      for (const method of METHODS) {
        const res = await fetch(`${base}${path}`, { method });
        const listed = method.toLowerCase() in methods;
        // Without a token, an endpoint that needs one answers 401 whatever the method (DRF's order).
        const allowed = listed ? [200, 201, 204, 400, 401, 404] : [401, 404, 405];
        expect({ method, path, status: res.status, listed }).toEqual(
          expect.objectContaining({ status: expect.toBeOneOf(allowed) }),
        );
        if (listed && path.startsWith('/api/')) expect(res.status).not.toBe(404);
      }
    }
    for (const path of [
      '/api/v1/users/me/extra/',
      '/api/v1/',
      '/api/v2/users/',
      '/api/docs/x.js',
    ]) {
      expect((await fetch(`${base}${path}`)).status).toBe(404);
    }
  });

  it('serves the docs page with its own policy, and Swagger UI named by its version', async () => {
    const page = await fetch(`${base}/api/docs`);
    expect(page.status).toBe(200);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    const html = await page.text();
    const bundle = /src="(\/api\/docs\/swagger-ui-bundle\.js\?v=[\d.]+)"/.exec(html)?.[1];
    expect(bundle).toBeDefined();
    const plain = await fetch(`${base}${bundle}`, { headers: { 'accept-encoding': 'gzip;q=0' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('cache-control')).toBe('public, max-age=86400');
    const missing = await fetch(`${base}/api/docs/index.html`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('{"detail":"Not found."}');
  });

  it('describes the token scheme and the errors of each operation', () => {
    const me = document.paths['/api/v1/users/me/']?.get as {
      security: unknown;
      responses: Record<string, unknown>;
    };
    expect(me.security).toEqual([{ tokenAuth: [] }]);
    expect(Object.keys(me.responses).sort()).toEqual(['200', '401', '413', '503']);
    const signup = document.paths['/api/v1/users/']?.post as {
      requestBody: {
        content: Record<string, { schema: { properties: object; required: string[] } }>;
      };
      responses: Record<string, unknown>;
    };
    const schema = signup.requestBody.content['application/json']?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(['email', 'username', 'password']);
    expect(schema?.required).toEqual(['username', 'password']);
    expect(Object.keys(signup.responses).sort()).toEqual(
      ['201', '400', '401', '413', '415', '429', '503'].sort(),
    );
  });
});
