import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, migrate } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../messages.ts';
import { cliOn } from '../test/cli.ts';
import { callerFor, DAY, databases, testClock, uniqueUsername } from '../test/databases.ts';

const password = 'correct horse battery';

describe.each(databases)('pnpm cli on $name', ({ create }) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await create();
  });
  afterAll(() => handle?.drop());

  const cli = (argv: string[], stdin = '', now?: () => Date) => cliOn(handle)(argv, stdin, now);

  it('creates a user from a piped password, who can then log in', async () => {
    const username = uniqueUsername('Op');
    const result = await cli(
      ['createuser', username, '--email', 'op@example.com'],
      `${password}\n`,
    );
    expect(result).toMatchObject({ code: 0, out: '' });
    expect(result.err).toContain(`Created user ${username}`);
    await expect(callerFor(handle).auth.login({ username, password })).resolves.toMatchObject({
      user: { username, email: 'op@example.com' },
    });
  });

  it('refuses a taken username, a weak password and a bad email with exit code 1', async () => {
    const username = uniqueUsername();
    await cli(['createuser', username], password);
    expect(await cli(['createuser', username.toUpperCase()], password)).toMatchObject({
      code: 1,
      err: 'A user with that username already exists.\n',
    });
    expect(await cli(['createuser', uniqueUsername()], 'x7#q')).toMatchObject({
      code: 1,
      err: `${messages.passwordTooShort(8)}\n`,
    });
    expect(await cli(['createuser', uniqueUsername(), '--email', 'nope'], password)).toMatchObject({
      code: 1,
      err: 'Enter a valid email address.\n',
    });
    expect(await cli(['createuser', uniqueUsername()], '')).toMatchObject({ code: 1 });
  });

  it('issues a token that works, printing only the token', async () => {
    const username = uniqueUsername();
    await cli(['createuser', username], password);
    const { code, out } = await cli(['token', 'create', username.toUpperCase()]);
    expect(code).toBe(0);
    expect(out).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    await expect(callerFor(handle, out.trim()).auth.me()).resolves.toMatchObject({ username });
  });

  it('lists JWT sessions beside tokens, marked as such', async () => {
    const username = uniqueUsername();
    await cli(['createuser', username], password);
    await callerFor(handle).jwt.create({ username, password });
    const lines = (await cli(['token', 'list', username])).out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ {2}jwt$/);
  });

  it('lists and revokes a user’s tokens', async () => {
    const username = uniqueUsername();
    await cli(['createuser', username], password);
    const first = (await cli(['token', 'create', username])).out.trim();
    const second = (await cli(['token', 'create', username])).out.trim();
    const listed = await cli(['token', 'list', username]);
    const ids = [...listed.out.matchAll(/^([0-9a-f-]{36}) /gm)].map((m) => m[1] ?? '');
    expect(ids).toHaveLength(2);
    expect(listed.out).not.toContain(first);

    expect(await cli(['token', 'revoke', username, ids[0] ?? ''])).toMatchObject({ code: 0 });
    const alive = await Promise.allSettled(
      [first, second].map((token) => callerFor(handle, token).auth.me()),
    );
    expect(alive.filter((r) => r.status === 'fulfilled')).toHaveLength(1);

    expect(await cli(['token', 'revoke', username, '--all'])).toMatchObject({
      code: 0,
      out: `Revoked 1 token of ${username}.\n`,
    });
    expect((await cli(['token', 'list', username])).out).toBe(`${username} has no live tokens.\n`);
  });

  it('cannot revoke another user’s token', async () => {
    const owner = uniqueUsername();
    const other = uniqueUsername();
    await cli(['createuser', owner], password);
    await cli(['createuser', other], password);
    await cli(['token', 'create', owner]);
    const id = /^([0-9a-f-]{36}) /m.exec((await cli(['token', 'list', owner])).out)?.[1];
    expect(await cli(['token', 'revoke', other, id ?? ''])).toMatchObject({ code: 1 });
    expect(await cli(['token', 'revoke', other, 'not-an-id'])).toMatchObject({ code: 1 });
    expect((await cli(['token', 'list', owner])).out).toContain(id);
  });

  it('purges what has expired', async () => {
    const clock = testClock(new Date('2040-01-01T00:00:00Z'));
    const username = uniqueUsername();
    await cli(['createuser', username], password);
    await cli(['token', 'create', username], '', clock.now);
    clock.advance(15 * DAY);
    const { code, out } = await cli(['purge'], '', clock.now);
    expect(code).toBe(0);
    expect(out).toMatch(/^Purged [1-9]\d* tokens?, \d+ emailed links?, .* in \d+\.\d s\.\n$/);
    expect((await cli(['token', 'list', username], '', clock.now)).out).not.toMatch(
      /[0-9a-f-]{36}/,
    );
    expect((await cli(['purge', 'now'])).code).toBe(2);
  });

  it('shows the dev outbox: mail kept when there is no SMTP server', async () => {
    const username = uniqueUsername('outbox');
    await callerFor(handle).auth.signup({ username, password, email: `${username}@example.com` });
    const list = await cli(['mail', 'list']);
    expect(list.code).toBe(0);
    const line = list.out.split('\n').find((l) => l.includes(`${username}@example.com`));
    expect(line).toMatch(/tokenauth: confirm your email address$/);
    const id = line?.split(' ')[0] ?? '';
    const shown = await cli(['mail', 'show', id]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/\/verify-email\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}/);
    expect((await cli(['mail', 'show', 'nope'])).code).toBe(1);
    expect((await cli(['mail'])).code).toBe(2);
  });

  it('answers unknown users with 1 and bad usage with 2', async () => {
    expect(await cli(['token', 'create', uniqueUsername('ghost')])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^No user named ghost_/),
    });
    for (const argv of [
      ['frobnicate'],
      ['token'],
      ['token', 'create'],
      ['token', 'revoke', 'someone'],
      ['createuser'],
      ['createuser', '--bogus-flag', 'x'],
    ]) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err).toContain('Usage: pnpm -s cli');
    }
    expect(await cli(['help'])).toMatchObject({ code: 0 });
  });
});

describe('pnpm cli as a process', () => {
  it('reads the password from stdin and exits with the right codes', async () => {
    const apiDir = fileURLToPath(new URL('../..', import.meta.url));
    // Always PGlite here: the process reads DATABASE_URL, which this test leaves out.
    const { DATABASE_URL: _, ...inherited } = process.env;
    const env = {
      ...inherited,
      BCRYPT_COST: '4',
      PGLITE_DIR: join(mkdtempSync(join(tmpdir(), 'cli-')), 'db'),
    };
    const run = (args: string[], input = '') =>
      spawnSync('pnpm', ['exec', 'tsx', ...args], { cwd: apiDir, env, input, encoding: 'utf8' });

    const db = await createDb({ dataDir: env.PGLITE_DIR });
    await migrate(db);
    await db.close();
    const created = run(
      ['src/cli.ts', 'createuser', 'proc_user', '--password-stdin'],
      `${password}\n`,
    );
    expect(created.stderr).toContain('Created user proc_user');
    expect(created.status).toBe(0);
    const token = run(['src/cli.ts', 'token', 'create', 'proc_user']);
    expect(token.status).toBe(0);
    expect(token.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(run(['src/cli.ts', 'token', 'create', 'nobody']).status).toBe(1);
  });
});
