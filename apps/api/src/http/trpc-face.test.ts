import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type { TestDb } from '@tokenauth/db/testing';
import type { TRPCError } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../context.ts';
import { createLogger } from '../logger.ts';
import {
  callerFor,
  databases,
  servicesFor,
  testRouter,
  uniqueUsername,
} from '../test/databases.ts';
import { listen } from '../test/http.ts';
import { procedures } from '../test/procedures.ts';
import { testServer } from '../test/server.ts';
import { errorHeaders } from './error-headers.ts';

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
 * The API's tRPC face answers plain calls itself and hands the rest to
 * tRPC's adapter. Every request here goes both to the API's server and to
 * tRPC's adapter alone, with the same router: a client must not see a
 * difference, except where the face refuses on purpose (bodies that are not
 * JSON, or too large, tested in hardening.test.ts).
 */
describe.each(databases)('the tRPC face on $name', ({ create }) => {
  let handle: TestDb;
  let token: string;
  let username: string;
  const servers: Server[] = [];
  let ours: string;
  let reference: string;
  /** Log lines at error level or above from our server, and 500s from the reference. */
  const failures: unknown[] = [];

  beforeAll(async () => {
    handle = await create();
    username = uniqueUsername('same');
    await callerFor(handle).auth.signup({ username, password: 'correct horse battery' });
    ({ token } = await callerFor(handle).auth.login({
      username,
      password: 'correct horse battery',
    }));
    const errorLines = new Writable({
      write(chunk, _encoding, done) {
        failures.push(String(chunk));
        done();
      },
    });
    const ourServer = testServer(handle, { logger: createLogger({ level: 'error' }, errorLines) });
    const referenceServer = createServer((req, res) => {
      // `curl -X POST` without a Content-Type is JSON to the API.
      req.headers['content-type'] ??= 'application/json';
      void nodeHTTPRequestHandler({
        req,
        res,
        router: testRouter,
        path: new URL(req.url ?? '', 'http://x').pathname.slice('/trpc/'.length),
        allowBatching: false,
        createContext: () =>
          createContextInner(servicesFor(handle), { authorization: req.headers.authorization }),
        responseMeta: ({ errors }) => ({
          headers: Object.fromEntries(pairs(errorHeaders(errors))),
        }),
        onError: ({ error }: { error: TRPCError }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR') failures.push(error);
        },
      });
    });
    servers.push(ourServer, referenceServer);
    ours = await listen(ourServer);
    reference = await listen(referenceServer);
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await handle?.drop();
    // Nothing either server answered was a bug.
    expect(failures).toEqual([]);
  });

  const pairs = (list: string[]) =>
    Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i], list[2 * i + 1]]);

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
    expect((await expectSame(get('tokens.list', auth()))).status).toBe(200);
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
      [post('tokens.revoke', JSON.stringify({ id: 'not-a-uuid' }), { ...json, ...auth() }), 400],
      [get(`auth.me?input=${encodeURIComponent('{"a":1}')}`, auth()), 200],
      [get('auth.me?input=%7Bnot-json', auth()), 200],
      [get('tokens.list?input=', auth()), 200],
    ];
    for (const [sent, status] of cases) {
      expect((await expectSame(sent)).status).toBe(status);
    }
  });

  it('answers plain calls itself, in one write, and leaves the rest to tRPC', async () => {
    const lengthOf = async (path: string, init: RequestInit = {}) =>
      (await fetch(`${ours}/trpc/${path}`, init)).headers.get('content-length');
    expect(await lengthOf('auth.me', { headers: auth() })).not.toBeNull();
    expect(await lengthOf('auth.login', { method: 'POST', body: '{}' })).not.toBeNull();
    // Every procedure is reached by the face itself: each is built on a
    // builder that marks its calls (trpc.ts), or the face would run it twice.
    for (const { path, type } of procedures) {
      const init: RequestInit = type === 'query' ? {} : { method: 'POST', body: '{}' };
      expect(await lengthOf(path, init), path).not.toBeNull();
    }
    // tRPC's adapter streams its answer.
    expect(await lengthOf('auth.nothing')).toBeNull();
    expect(await lengthOf('auth.login')).toBeNull();
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
      [{ method: 'HEAD', path: '/trpc/auth.me' }, 204],
      [{ method: 'DELETE', path: '/trpc/auth.me' }, 405],
    ];
    for (const [sent, status] of cases) {
      expect((await expectSame(sent)).status).toBe(status);
    }
  });

  it('answers as tRPC does whatever a client sends', async () => {
    const paths = procedures.map((procedure) => procedure.path);
    // Valid tokens are left out: a mutation that succeeded on one server
    // would change what the other one answers.
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT'),
      path: fc.oneof(
        fc.constantFrom(...paths),
        fc.string({ maxLength: 20 }).map(encodeURIComponent),
      ),
      query: fc.option(
        fc.jsonValue().map((v) => `?input=${encodeURIComponent(JSON.stringify(v))}`),
        {
          nil: '',
        },
      ),
      // Other types are refused before tRPC sees them (hardening.test.ts).
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8'),
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
        headers['content-type'] = r.contentType;
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
