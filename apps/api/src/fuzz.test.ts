import type { Server } from 'node:http';
import { type User, users } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from './auth/token.ts';
import { restRoutes } from './rest/routes.ts';
import { config, databases, uniqueUsername } from './test/databases.ts';
import { listen } from './test/http.ts';
import { procedures } from './test/procedures.ts';
import { testServer } from './test/server.ts';

/** Generated requests per procedure and database. */
const RUNS_PER_PROCEDURE = 150;
/** Generated requests per REST operation and database. */
const RUNS_PER_OPERATION = 60;

/** Every method of every endpoint of the REST face. */
const operations = restRoutes(config.passwords.minLength).flatMap((route) =>
  Object.keys(route.methods).map((method) => ({ method, path: route.path })),
);

// --- What a hostile client can send ---------------------------------------------------------

/** A URL cannot carry half a surrogate pair: it travels as U+FFFD, as a browser would send it. */
const wellFormed = (text: string) => Buffer.from(text).toString();

/** Characters no field may hold: controls (NUL first), and halves of surrogate pairs. */
const badCharacter = fc.oneof(
  { arbitrary: fc.constant('\u0000'), weight: 3 },
  fc.constantFrom('\u0000', '\u0007', '\t', '\n', '\u001f', '\u007f', '\u0085', '\uD800', '\uDFFF'),
  fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
);

/** A value that would pass but for one bad character: what reaches a query if nothing stops it. */
const nearlyValid = fc
  .tuple(
    fc.constantFrom('alice_1', 'correct horse battery', 'alice@example.com', 'Ünïcödé_名前'),
    badCharacter,
    fc.nat(30),
  )
  .map(([base, bad, at]) => base.slice(0, at) + bad + base.slice(at));

const nastyStrings = fc.oneof(
  { arbitrary: nearlyValid, weight: 4 },
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary', minLength: 140, maxLength: 160 }),
  fc.string({ minLength: 1_000, maxLength: 80_000 }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\uFEFF',
    '\u202E',
    'e\u0301',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '\uD800',
    '__proto__',
    'constructor',
    "'; drop table users; --",
    '{"$ne": null}',
    'a'.repeat(5_000),
    '9'.repeat(400),
  ),
);

const junk = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 6 },
    nastyStrings,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyStrings, tie('value'), { maxKeys: 4 }),
  ),
}));

const fieldNames = [
  'username',
  'password',
  'email',
  'currentPassword',
  'newPassword',
  'newUsername',
  'id',
  // The REST face's names for them.
  'current_password',
  'new_password',
  'new_username',
] as const;

/** Objects with the fields procedures read, holding junk: gets past JSON parsing. */
/** A field's value: often one that passes, or nearly; otherwise junk. */
const fieldValue = fc.oneof(
  {
    arbitrary: fc.constantFrom('alice_1', 'correct horse battery', 'alice@example.com'),
    weight: 3,
  },
  { arbitrary: nearlyValid, weight: 3 },
  { arbitrary: junk.value, weight: 2 },
);

const plausibleInput = fc.record(
  Object.fromEntries(fieldNames.map((name) => [name, fieldValue])) as Record<
    (typeof fieldNames)[number],
    fc.Arbitrary<unknown>
  >,
  { requiredKeys: [] },
);

// Weighted towards requests that get past parsing, so the handlers see most of them.
const body = fc.oneof(
  { arbitrary: plausibleInput.map((value) => JSON.stringify(value)), weight: 6 },
  junk.value.map((value) => JSON.stringify(value) ?? 'undefined'),
  fc.string({ unit: 'binary' }), // rarely JSON at all
  fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
);

/** Header values fetch can send: bytes, but no CR, LF or NUL. */
const headerText = fc.string({
  unit: fc
    .oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0x80, max: 0xff }),
      fc.constant(9),
    )
    .map((code) => String.fromCharCode(code)),
  maxLength: 300,
});

const authorization = (validToken: fc.Arbitrary<string>) =>
  fc.oneof(
    { arbitrary: validToken.map((token) => `Token ${token}`), weight: 6 },
    fc.constant(undefined),
    headerText,
    headerText.map((value) => `Token ${value}`),
    headerText.map((value) => `Bearer ${value}`),
    fc.constantFrom('Token', 'Token ', 'token  a  b', 'Basic Zm9vOmJhcg=='),
    validToken.map((token) => `Token ${token}`),
    validToken.map((token) => `tOkEn   ${token.slice(0, -1)}`),
  );

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 8 },
  fc.constant(undefined),
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'),
  headerText,
);

// --- The property --------------------------------------------------------------------------

describe.each(databases)(
  'fuzzing every procedure and REST operation over HTTP on $name',
  ({ create }) => {
    let handle: TestDb;
    let server: Server;
    let base: string;
    let userId: string;
    let original: User;
    const statuses = new Map<number, number>();

    beforeAll(async () => {
      handle = await create();
      server = testServer(handle);
      base = await listen(server);
      const res = await fetch(`${base}/trpc/auth.signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: uniqueUsername('fuzz'),
          password: 'correct horse battery',
        }),
      });
      userId = ((await res.json()) as { result: { data: { user: { id: string } } } }).result.data
        .user.id;
      [original] = (await handle.db.select().from(users).where(eq(users.id, userId))) as [User];
    });
    afterAll(async () => {
      server?.close();
      await handle?.drop();
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
      console.log(`fuzz on ${handle?.driver}: ${total} requests, ${byStatus.join(' ')}`);
    });

    /**
     * A fresh token each time: a case may log out or delete what it is given.
     * A deleted user comes back as they were, so later cases still get past
     * authentication.
     */
    async function freshToken(): Promise<string> {
      let [user] = await handle.db.select().from(users).where(eq(users.id, userId));
      if (!user) [user] = await handle.db.insert(users).values(original).returning();
      return createToken(handle.db, user ?? original, { now: new Date() });
    }

    /** A fingerprint of every row users could own; rate-limit counters are not among them. */
    async function fingerprint(): Promise<string> {
      const result = await handle.db.execute(sql`
      select
        (select md5(coalesce(string_agg(u::text, ',' order by u.id), '')) from users u) as users,
        (select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from tokens t) as tokens`);
      // postgres.js returns the rows, PGlite an object holding them.
      return JSON.stringify((result as { rows?: unknown }).rows ?? result);
    }

    it.each(procedures)(
      '$path ($type) never answers 5xx or leaks a stack',
      async ({ path, type }) => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              { arbitrary: fc.constant(type === 'query' ? 'GET' : 'POST'), weight: 8 },
              fc.constantFrom('GET', 'POST'),
            ),
            body,
            authorization(fc.constant('__VALID__')),
            contentType,
            async (method, payload, auth, type) => {
              const token = await freshToken();
              const headers: Record<string, string> = {};
              if (auth) headers.authorization = auth.replace('__VALID__', token);
              if (type) headers['content-type'] = type;
              const url =
                method === 'GET'
                  ? `${base}/trpc/${path}?input=${encodeURIComponent(wellFormed(payload.slice(0, 4000)))}`
                  : `${base}/trpc/${path}`;

              const before = await fingerprint();
              const res = await fetch(url, {
                method,
                headers,
                body: method === 'POST' ? payload : undefined,
              });
              const text = await res.text();
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);

              expect(res.status, text).toBeLessThan(500);
              expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules|\/src\//);
              if (res.status >= 400) expect(await fingerprint()).toBe(before);
            },
          ),
          { numRuns: RUNS_PER_PROCEDURE, seed: 20261123, endOnFailure: true },
        );
      },
    );

    it.each(operations)(
      '$method $path never answers 5xx or leaks a stack',
      async ({ method, path }) => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              { arbitrary: fc.constant(method), weight: 8 },
              fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
            ),
            fc.oneof({ arbitrary: fc.constant('own'), weight: 3 }, nastyStrings),
            body,
            authorization(fc.constant('__VALID__')),
            contentType,
            async (sent, id, payload, auth, type) => {
              const token = await freshToken();
              const headers: Record<string, string> = {};
              if (auth) headers.authorization = auth.replace('__VALID__', token);
              if (type) headers['content-type'] = type;
              const segment = id === 'own' ? userId : encodeURIComponent(wellFormed(id));
              const before = await fingerprint();
              const res = await fetch(`${base}${path.replace('{id}', segment)}`, {
                method: sent,
                headers,
                body: sent === 'GET' || sent === 'OPTIONS' ? undefined : payload,
              });
              const text = await res.text();
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);

              expect(res.status, text).toBeLessThan(500);
              expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules|\/src\//);
              if (res.status >= 400) expect(await fingerprint()).toBe(before);
            },
          ),
          { numRuns: RUNS_PER_OPERATION, seed: 20261130, endOnFailure: true },
        );
      },
    );
  },
);
