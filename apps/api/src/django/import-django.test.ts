import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { djangoUsers, users } from '@tokenauth/db';
import {
  createThrowawayDatabase,
  type TestDb,
  type ThrowawayDatabase,
} from '@tokenauth/db/testing';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { cliOn } from '../test/cli.ts';
import { callerFor, databases } from '../test/databases.ts';
import { listen } from '../test/http.ts';
import { testServer } from '../test/server.ts';
import { openDjangoSource } from './django-source.ts';
import { importDjango } from './import-django.ts';

const run = promisify(execFile);
const project = fileURLToPath(new URL('../../fixtures/django', import.meta.url));
const adminUrl = parseEnv(process.env).DATABASE_URL;

/** A Python with Django and DRF: Debian's (python3-django, python3-djangorestframework). */
const python = ['python3', '/usr/bin/python3'].find(
  (candidate) =>
    spawnSync(candidate, ['-c', 'import django, rest_framework, argon2, bcrypt, psycopg2'])
      .status === 0,
);

type Seeded = Record<string, { id: number; password: string; token: string | null }>;

// Skipped only where Django or PostgreSQL is missing and this is not CI, which has both.
describe.skipIf((!python || !adminUrl) && !process.env.CI)('importing a real Django site', () => {
  let django: ThrowawayDatabase;
  let seeded: Seeded;
  let folder: string;
  /** `dumpdata auth.user authtoken.token`, as JSON; and as gzipped JSON lines with natural keys. */
  let dump: string;
  let naturalDump: string;

  beforeAll(async () => {
    if (!python)
      throw new Error(
        'Django is not installed: apt install python3-django python3-djangorestframework python3-argon2 python3-bcrypt python3-psycopg2',
      );
    if (!adminUrl)
      throw new Error('DATABASE_URL must name a PostgreSQL server for the Django site');
    django = await createThrowawayDatabase(adminUrl, 'django_site');
    const manage = (...args: string[]) =>
      run(python, ['manage.py', ...args], {
        cwd: project,
        env: { ...process.env, DJANGO_DATABASE_URL: django.url },
        maxBuffer: 64 * 1024 * 1024,
      });
    await manage('migrate', '-v0');
    seeded = JSON.parse((await manage('seed_users')).stdout) as Seeded;
    folder = mkdtempSync(join(tmpdir(), 'django-dump-'));
    dump = join(folder, 'users.json');
    writeFileSync(
      dump,
      (await manage('dumpdata', 'auth.user', 'authtoken.token', '--indent', '2')).stdout,
    );
    naturalDump = join(folder, 'users.jsonl.gz');
    const lines = await manage(
      'dumpdata',
      'auth.user',
      'authtoken.token',
      '--format',
      'jsonl',
      '--natural-foreign',
    );
    writeFileSync(naturalDump, gzipSync(lines.stdout));
  }, 120_000);

  afterAll(async () => {
    await django?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const LOGS_IN = [
    'alice',
    'pbkdf2_1000',
    'bob_sha1',
    'erin_argon2id',
    'frank_argon2i',
    'carol_bcrypt_sha256',
    'dave_bcrypt',
    'grace_scrypt',
    'root',
    'zoë',
  ];

  describe.each(databases)('into $name', ({ create }) => {
    let handle: TestDb;
    let base: string;
    beforeAll(async () => {
      handle = await create();
      base = await listen(testServer(handle));
    });
    afterAll(() => handle?.drop());

    const restLogin = (username: string, password: string) =>
      fetch(`${base}/api/v1/token/login/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
    const me = (token: string) =>
      fetch(`${base}/api/v1/users/me/`, { headers: { authorization: `Token ${token}` } });
    const count = async () => (await handle.db.select().from(users)).length;

    it('stops before writing anything when usernames collide ignoring case and no rule is chosen', async () => {
      const cli = cliOn(handle);
      const result = await cli(['import-django', '--from', django.url]);
      expect(result.code).toBe(1);
      expect(result.out).toContain(
        '#13 "Alice": username collides ignoring case with Django user #1',
      );
      expect(result.out).toContain('--collisions=skip or --collisions=rename');
      expect(await count()).toBe(0);
    });

    it('reports a dry run and writes nothing', async () => {
      const result = await cliOn(handle)([
        'import-django',
        '--from',
        django.url,
        '--dry-run',
        '--collisions=skip',
      ]);
      expect(result.code).toBe(0);
      expect(result.out).toContain('(dry run: nothing written)');
      expect(result.out).toMatch(/created: +14\n/);
      expect(result.out).toMatch(/skipped: +2\n/);
      expect(await count()).toBe(0);
    });

    it('imports from PostgreSQL: every kept user logs in with their Django password, over HTTP', async () => {
      const source = await openDjangoSource(django.url, { tokens: true });
      const report = await importDjango(handle.db, source, {
        dryRun: false,
        collisions: 'rename',
        now: new Date(),
      }).finally(() => source.close());
      expect(report.users).toMatchObject({
        read: 16,
        created: 15,
        updated: 0,
        skipped: 1, // "al": too short here
        renamed: 1, // "Alice", after alice
        withoutPassword: 3, // two MD5 hashes, one unusable password
        withoutEmail: 1,
        inactive: 1,
        staff: 1,
        superusers: 1,
      });
      expect(report.tokens).toMatchObject({ read: 9, imported: 9, notImported: 0 });

      for (const username of LOGS_IN) {
        const password = seeded[username]?.password ?? '';
        const wrong = await restLogin(username, `${password}!`);
        expect(wrong.status, username).toBe(400);
        const right = await restLogin(username, password);
        expect(right.status, username).toBe(200);
        const { auth_token } = (await right.json()) as { auth_token: string };
        expect(await (await me(auth_token)).json()).toMatchObject({ username });
        // Rehashed with our bcrypt, as Django does when its preferred hasher changes.
        const [row] = await handle.db.select().from(users).where(eq(users.username, username));
        expect(row?.passwordHash, username).toMatch(/^\$2b\$04\$/);
        // Still the same password, now checked by bcrypt.
        expect((await restLogin(username, password)).status).toBe(200);
      }
      // The renamed user, under their new name.
      expect((await restLogin('Alice_13', seeded.Alice?.password ?? '')).status).toBe(200);
    });

    it('keeps refused passwords and inactive users out, as Django does', async () => {
      for (const username of ['mallory_md5', 'trent_md5', 'oscar_unusable', 'ivan_inactive']) {
        const response = await restLogin(username, seeded[username]?.password ?? '');
        expect(response.status, username).toBe(400);
      }
      const [mallory] = await handle.db
        .select()
        .from(users)
        .where(eq(users.username, 'mallory_md5'));
      expect(mallory?.passwordHash).toMatch(/^!/); // the MD5 hash is not kept
      const [ivan] = await handle.db
        .select()
        .from(users)
        .where(eq(users.username, 'ivan_inactive'));
      expect(ivan?.isActive).toBe(false);
    });

    it('keeps every DRF token working on both faces, and listed as a session', async () => {
      for (const [username, { token }] of Object.entries(seeded)) {
        if (!token || username === 'ivan_inactive') continue;
        const expected = username === 'Alice' ? 'Alice_13' : username;
        expect((await (await me(token)).json()) as object, username).toMatchObject({
          username: expected,
        });
        const trpc = await fetch(`${base}/trpc/auth.me`, {
          headers: { authorization: `Token ${token}` },
        });
        expect(await trpc.json(), username).toMatchObject({
          result: { data: { username: expected } },
        });
        await expect(callerFor(handle, token).auth.me()).resolves.toMatchObject({
          username: expected,
        });
      }
      // An inactive user's token does not work (DRF: "User inactive or deleted.").
      expect((await me(seeded.ivan_inactive?.token ?? '')).status).toBe(401);
      const sessions = await callerFor(handle, seeded.alice?.token).tokens.list();
      expect(sessions).toContainEqual(
        expect.objectContaining({ userAgent: 'imported from Django' }),
      );
    });

    it('keeps what Django knew and this stack has no place for in django_users', async () => {
      const [root] = await handle.db
        .select()
        .from(djangoUsers)
        .innerJoin(users, eq(users.id, djangoUsers.userId))
        .where(eq(users.username, 'root'));
      expect(root?.django_users).toMatchObject({
        djangoId: seeded.root?.id,
        isStaff: true,
        isSuperuser: true,
      });
      const [alice] = await handle.db
        .select()
        .from(djangoUsers)
        .innerJoin(users, eq(users.id, djangoUsers.userId))
        .where(eq(users.username, 'alice'));
      expect(alice?.django_users).toMatchObject({ firstName: 'Alice', lastName: 'Liddell' });
      // An active Django user's address counts as confirmed (Djoser's activation).
      expect(alice?.users.emailVerifiedAt).not.toBeNull();
    });

    it('re-runs from a gzipped dumpdata file without duplicating, reviving revoked tokens or undoing rehashes', async () => {
      const bob = seeded.bob_sha1;
      await callerFor(handle, bob?.token).auth.logout();
      const before = await count();
      const result = await cliOn(handle)([
        'import-django',
        '--from',
        naturalDump,
        '--collisions=rename',
      ]);
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/created: +0\n/);
      expect(result.out).toMatch(/already here: +15 /);
      expect(result.out).toMatch(/imported before: +9\n/);
      expect(await count()).toBe(before);
      // Revoked here: stays revoked.
      expect((await me(bob?.token ?? '')).status).toBe(401);
      // Rehashed here: not taken back to the Django hash.
      expect((await restLogin('alice', seeded.alice?.password ?? '')).status).toBe(200);
      const [alice] = await handle.db.select().from(users).where(eq(users.username, 'alice'));
      expect(alice?.passwordHash).toMatch(/^\$2b\$/);
    });

    it('follows Django on a re-run: revoked tokens, renames, and accounts deleted here stay deleted', async () => {
      const site = postgres(django.url, { max: 1, onnotice: () => {} });
      const few = seeded.pbkdf2_1000;
      const erin = seeded.erin_argon2id;
      const newKey = 'f'.repeat(40);
      try {
        // DRF revokes by deleting a token, or by making a new one.
        await site`delete from authtoken_token where user_id = ${few?.id ?? 0}`;
        await site`update authtoken_token set key = ${newKey} where user_id = ${erin?.id ?? 0}`;
        // A lower id takes a name (ignoring case) that a user imported before holds here.
        await site`update auth_user set username = 'Bob_SHA1' where id = ${few?.id ?? 0}`;
        await handle.db.delete(users).where(eq(users.username, 'dave_bcrypt'));

        const result = await cliOn(handle)([
          'import-django',
          '--from',
          django.url,
          '--collisions=rename',
        ]);
        expect(result.code, result.out + result.err).toBe(0);
        expect(result.out).toMatch(/deleted here: +1 /);
        expect(result.out).toMatch(/revoked: +2 /);
        expect((await me(few?.token ?? '')).status).toBe(401);
        expect((await me(erin?.token ?? '')).status).toBe(401);
        expect(await (await me(newKey)).json()).toMatchObject({ username: 'erin_argon2id' });
        // The holder here keeps the name; the newcomer is renamed.
        expect((await restLogin('bob_sha1', seeded.bob_sha1?.password ?? '')).status).toBe(200);
        expect((await restLogin('Bob_SHA1_2', few?.password ?? '')).status).toBe(200);
        expect(
          await handle.db.select().from(users).where(eq(users.username, 'dave_bcrypt')),
        ).toEqual([]);
      } finally {
        await site`update auth_user set username = 'pbkdf2_1000' where id = ${few?.id ?? 0}`;
        await site`update authtoken_token set key = ${erin?.token ?? ''} where user_id = ${erin?.id ?? 0}`;
        await site`insert into authtoken_token (key, created, user_id) values (${few?.token ?? ''}, now(), ${few?.id ?? 0})`;
        await site.end();
      }
    });

    it('imports from the JSON dump as from the database', async () => {
      const fresh = await create();
      try {
        const result = await cliOn(fresh)(['import-django', '--from', dump, '--collisions=skip']);
        expect(result.code).toBe(0);
        expect(result.out).toMatch(/created: +14\n/);
        expect(result.out).toContain(
          '"Alice": username collides ignoring case with Django user #1 — skipped',
        );
        await expect(
          callerFor(fresh, seeded.erin_argon2id?.token).auth.me(),
        ).resolves.toMatchObject({ username: 'erin_argon2id' });
        await expect(
          callerFor(fresh).auth.login({
            username: 'grace_scrypt',
            password: seeded.grace_scrypt?.password ?? '',
          }),
        ).resolves.toMatchObject({ user: { username: 'grace_scrypt' } });
      } finally {
        await fresh.drop();
      }
    });
  });
});

describe('import-django refuses what it cannot read', () => {
  const [first] = databases;
  it('says why, with exit code 1 or 2', async () => {
    if (!first) throw new Error('no database');
    const handle = await first.create();
    try {
      const cli = cliOn(handle);
      expect(await cli(['import-django'])).toMatchObject({ code: 2 });
      expect(await cli(['import-django', '--from', '/nonexistent.json'])).toMatchObject({
        code: 1,
        err: 'Cannot read /nonexistent.json: ENOENT\n',
      });
      expect(await cli(['import-django', '--from', 'x.json', '--collisions=merge'])).toMatchObject({
        code: 2,
      });
      const folder = mkdtempSync(join(tmpdir(), 'django-bad-'));
      const bad = join(folder, 'bad.json');
      writeFileSync(bad, '[{"model": "auth.user", "pk": 1, "fields": {"username": "x"');
      const truncated = await cli(['import-django', '--from', bad]);
      expect(truncated.code).toBe(1);
      expect(truncated.err).toMatch(/^Cannot read .*bad\.json: /);
      const natural = join(folder, 'natural.json');
      writeFileSync(natural, JSON.stringify([{ model: 'auth.user', fields: { username: 'abc' } }]));
      expect((await cli(['import-django', '--from', natural])).err).toContain('--natural-primary');
      // Characters PostgreSQL cannot store (NUL, a lone surrogate): refused
      // or replaced, never a failed import.
      const odd = join(folder, 'odd.json');
      const fields = {
        password: '!',
        email: '',
        is_active: true,
        date_joined: '2020-01-01T00:00:00Z',
      };
      writeFileSync(
        odd,
        JSON.stringify([
          { model: 'auth.user', pk: 1, fields: { ...fields, username: 'odd\ud800one' } },
          {
            model: 'auth.user',
            pk: 2,
            fields: { ...fields, username: 'nul_name', first_name: 'a\u0000b' },
          },
        ]),
      );
      const oddResult = await cli(['import-django', '--from', odd]);
      expect(oddResult.code, oddResult.err).toBe(0);
      expect(oddResult.out).toContain('#1 "odd\ufffdone": username refused');
      const [nul] = await handle.db.select().from(djangoUsers);
      expect(nul?.firstName).toBe('a\ufffdb');
      await handle.db.delete(users);
      rmSync(folder, { recursive: true, force: true });
      expect(await handle.db.select().from(users)).toEqual([]);
      // Nothing left behind: the next import can run.
      const empty = join(tmpdir(), `empty-${process.pid}.json`);
      writeFileSync(empty, '[]');
      expect(await cli(['import-django', '--from', empty])).toMatchObject({ code: 0 });
      rmSync(empty);
    } finally {
      await handle.drop();
    }
  });
});
