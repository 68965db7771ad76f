import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { TestDb } from '@tokenauth/db/testing';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../context.ts';
import { errorHeaders } from '../errors.ts';
import { appRouter } from '../routers/app.ts';
import { callerFor, databases, uniqueUsername } from '../test/databases.ts';
import { listen } from '../test/http.ts';
import { RequestLog } from './request-logger.ts';
import {
  createStandardHandler,
  createTrpcHandler,
  type TrpcHandlerOptions,
} from './trpc-handler.ts';

const [pglite] = databases;
if (!pglite) throw new Error('no test database');

type Sent = {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Send the body in chunks, without a Content-Length. */
  chunked?: boolean;
};

/** What a client can observe of an answer, minus what differs by design (ids, new tokens). */
type Seen = { status: number; headers: Record<string, string | null>; body: unknown };

const COMPARED_HEADERS = ['content-type', 'www-authenticate', 'retry-after', 'vary'];
const VOLATILE = new Set(['token', 'id', 'createdAt', 'lastUsedAt']);

function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, VOLATILE.has(key) ? typeof v : normalized(v)]),
    );
  }
  return value;
}

/**
 * Our handler answers plain calls itself and hands the rest to tRPC's
 * adapter. Every request here goes to both that handler and tRPC's adapter
 * alone, with the same options: a client must not see a difference.
 */
describe('the tRPC handler', () => {
  let handle: TestDb;
  let token: string;
  let username: string;
  const servers: Server[] = [];
  let ours: string;
  let reference: string;

  beforeAll(async () => {
    handle = await pglite.create();
    username = uniqueUsername('same');
    await callerFor(handle.db).auth.signup({ username, password: 'correct horse battery' });
    ({ token } = await callerFor(handle.db).auth.login({
      username,
      password: 'correct horse battery',
    }));
    const silent = pino({ level: 'silent' });
    let requests = 0;
    const options: TrpcHandlerOptions<typeof appRouter> = {
      router: appRouter,
      basePath: '/trpc/',
      maxBodySize: 2048,
      createContext: (req) =>
        createContextInner({ db: handle.db, authorization: req.headers.authorization }),
      errorHeaders,
      onError: () => {},
    };
    const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
      const server = createServer((req, res) => {
        req.log = new RequestLog(silent, String(++requests), req.method, req.url);
        req.headers['content-type'] ??= 'application/json'; // as server.ts does
        handler(req, res);
      });
      servers.push(server);
      return listen(server);
    };
    ours = await serve(createTrpcHandler(options));
    reference = await serve(createStandardHandler(options));
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await handle?.drop();
  });

  async function send(base: string, sent: Sent): Promise<Seen> {
    const { body, chunked } = sent;
    const res = await fetch(`${base}${sent.path}`, {
      method: sent.method,
      headers: sent.headers,
      ...(body === undefined
        ? {}
        : chunked
          ? {
              body: new ReadableStream({
                start(controller) {
                  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
                  for (let at = 0; at < bytes.length; at += 1000) {
                    controller.enqueue(bytes.slice(at, at + 1000));
                  }
                  controller.close();
                },
              }),
              duplex: 'half',
            }
          : { body }),
    } as RequestInit);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // compared as text
    }
    return {
      status: res.status,
      headers: Object.fromEntries(COMPARED_HEADERS.map((name) => [name, res.headers.get(name)])),
      body: normalized(parsed),
    };
  }

  async function expectSame(sent: Sent): Promise<Seen> {
    const [a, b] = [await send(ours, sent), await send(reference, sent)];
    expect({ sent, answer: a }).toEqual({ sent, answer: b });
    return a;
  }

  const json = { 'content-type': 'application/json' };
  const auth = () => ({ authorization: `Token ${token}` });
  const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = json) =>
    ({ method: 'POST', path: `/trpc/${path}`, headers, body }) satisfies Sent;
  const get = (path: string, headers: Record<string, string> = {}) =>
    ({ method: 'GET', path: `/trpc/${path}`, headers }) satisfies Sent;

  it('answers plain calls as tRPC does, successes and errors alike', async () => {
    expect((await expectSame(get('auth.me', auth()))).status).toBe(200);
    expect((await expectSame(get('sessions.list', auth()))).status).toBe(200);
    for (const authorization of ['', 'Token', 'Token a b', 'Bearer nope', 'Basic abc', 'Token é']) {
      expect((await expectSame(get('auth.me', { authorization }))).status).toBe(401);
    }
    expect((await expectSame(get('auth.me'))).status).toBe(401);
    const loginBody = JSON.stringify({ username, password: 'correct horse battery' });
    expect((await expectSame(post('auth.login', loginBody))).status).toBe(200);
    const cases: [Sent, number][] = [
      [post('auth.login', JSON.stringify({ username, password: 'wrong password!' })), 400],
      [post('auth.login', '{"username": "x", '), 400],
      [post('auth.login', ''), 400],
      [post('auth.login', 'null'), 400],
      [post('auth.login', '[1, 2]'), 400],
      [post('auth.login', '{"username": 1, "password": []}'), 400],
      [post('auth.login', `\uFEFF${loginBody}`), 200],
      [post('auth.login', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400],
      [post('auth.login', loginBody, { 'content-type': 'application/json; charset=utf-8' }), 200],
      [post('auth.signup', JSON.stringify({ username, password: 'another good one' })), 409],
      [post('auth.signup', JSON.stringify({ username: 'a', password: '1' })), 400],
      [{ method: 'POST', path: '/trpc/auth.logout' }, 401],
      [post('sessions.revoke', JSON.stringify({ id: 'not-a-uuid' }), { ...json, ...auth() }), 400],
      [get(`auth.me?input=${encodeURIComponent('{"a":1}')}`, auth()), 200],
      [get('auth.me?input=%7Bnot-json', auth()), 200],
      [get('sessions.list?input=', auth()), 200],
      [{ ...post('auth.login', 'x'.repeat(3000)), chunked: true }, 413],
      [{ ...post('auth.login', `{"username":"${'x'.repeat(3000)}"}`), chunked: true }, 413],
    ];
    for (const [sent, status] of cases) {
      expect((await expectSame(sent)).status).toBe(status);
    }
  });

  it('leaves everything else to tRPC, answering the same', async () => {
    const cases: [Sent, number][] = [
      [post('auth.me', '{}', { ...json, ...auth() }), 405],
      [get('auth.login'), 405],
      [get('auth.nothing'), 404],
      [post('auth.nothing', '{}'), 404],
      [get('__proto__'), 404],
      [get('constructor'), 404],
      [get('auth'), 404],
      [get('auth.me,auth.me?batch=1', auth()), 400],
      [get('auth.me?batch=1&input=%7B%7D', auth()), 400],
      [get('auth.me?connectionParams=1', auth()), 400],
      [get('auth%2Eme', auth()), 200],
      [get('auth.me', { ...auth(), 'trpc-accept': 'application/jsonl' }), 400],
      [post('auth.login', 'x=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415],
      [post('auth.login', '{}', { 'content-type': 'text/plain' }), 415],
      [{ method: 'HEAD', path: '/trpc/auth.me' }, 204],
      [{ method: 'DELETE', path: '/trpc/auth.me' }, 405],
    ];
    for (const [sent, status] of cases) {
      expect((await expectSame(sent)).status).toBe(status);
    }
  });

  it('answers as tRPC does whatever a client sends', async () => {
    const procedures = Object.keys(appRouter._def.procedures);
    // Valid tokens are left out: a mutation that succeeded on one server
    // would change what the other one answers.
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT'),
      path: fc.oneof(
        fc.constantFrom(...procedures),
        fc.string({ maxLength: 20 }).map(encodeURIComponent),
      ),
      query: fc.option(
        fc.jsonValue().map((v) => `?input=${encodeURIComponent(JSON.stringify(v))}`),
        {
          nil: '',
        },
      ),
      contentType: fc.option(
        fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'),
        { nil: undefined },
      ),
      authorization: fc.option(fc.constantFrom('Token nope', 'Bearer', 'Token a b'), {
        nil: undefined,
      }),
      body: fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 50 }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.contentType) headers['content-type'] = r.contentType;
        if (r.authorization) headers.authorization = r.authorization;
        await expectSame({
          method: r.method,
          path: `/trpc/${r.path}${r.query}`,
          headers,
          ...(r.method === 'GET' ? {} : { body: r.body }),
        });
      }),
      { numRuns: 300 },
    );
  });
});
