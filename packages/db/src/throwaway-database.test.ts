import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import postgres from 'postgres';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createThrowawayDatabase, DatabaseServerError } from './throwaway-database.ts';

// Tests read the environment directly: this package has no env module of its own.
const adminUrl = process.env.DATABASE_URL || undefined;

/** The rejection of `promise`, which must reject. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

/** Runs `query` on a connection of its own to `url`. */
async function queryOn<T extends readonly object[]>(
  url: string,
  query: (sql: postgres.Sql) => Promise<T>,
): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await query(sql);
  } finally {
    await sql.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const rows = await queryOn(
    adminUrl as string,
    (sql) => sql`select 1 from pg_database where datname = ${name}`,
  );
  return rows.length === 1;
}

/** A port on 127.0.0.1 that nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('createThrowawayDatabase, when the server cannot be used', () => {
  it('says in one sentence that the server could not be reached, without the password', async () => {
    const port = await closedPort();
    const error = await rejectionOf(
      createThrowawayDatabase(`postgres://tester:s3cret@127.0.0.1:${port}/test`, 'tokenauth_test'),
    );
    expect(error).toBeInstanceOf(DatabaseServerError);
    expect(error.message).toBe(
      `DATABASE_URL points at postgres://tester:***@127.0.0.1:${port}/test, which could not be reached: connection refused. Start PostgreSQL, or unset DATABASE_URL to test on PGlite only.`,
    );
    // The sentence is all that is printed: no stack trace under it.
    expect(error.stack).toBe(`DatabaseServerError: ${error.message}`);
  });

  it.runIf(adminUrl)('says which database does not exist', async () => {
    const url = new URL(adminUrl as string);
    const missing = `tokenauth_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${missing}`;
    const error = await rejectionOf(createThrowawayDatabase(url.toString(), 'tokenauth_test'));
    expect(error).toBeInstanceOf(DatabaseServerError);
    expect(error.message).toBe(
      `DATABASE_URL points at ${url}, which could not be reached: database "${missing}" does not exist. Correct DATABASE_URL, or unset it to test on PGlite only.`,
    );
  });

  it.runIf(adminUrl)('says that the role lacks CREATEDB, without its password', async (ctx) => {
    const [admin] = await queryOn(
      adminUrl as string,
      (sql) =>
        sql`select rolcreaterole or rolsuper as can from pg_roles where rolname = current_user`,
    );
    if (!admin?.can) ctx.skip('the role of DATABASE_URL may not create roles');
    const role = `tokenauth_nocreatedb_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(8).toString('hex');
    await queryOn(adminUrl as string, (sql) =>
      sql.unsafe(`create role "${role}" login nocreatedb password '${password}'`),
    );
    try {
      const url = new URL(adminUrl as string);
      url.username = role;
      url.password = password;
      const error = await rejectionOf(createThrowawayDatabase(url.toString(), 'tokenauth_test'));
      expect(error).toBeInstanceOf(DatabaseServerError);
      url.password = '***';
      expect(error.message).toBe(
        `DATABASE_URL points at ${url}, whose role may not create the databases tests run in: permission denied to create database. Grant it with ALTER ROLE "${role}" CREATEDB, or unset DATABASE_URL to test on PGlite only.`,
      );
      expect(error.message).not.toContain(password);
    } finally {
      await queryOn(adminUrl as string, (sql) => sql.unsafe(`drop role "${role}"`));
    }
  });
});

describe.runIf(adminUrl)('createThrowawayDatabase on the server of DATABASE_URL', () => {
  // Regression (issue 10): the e2e run wrote users and rate-limit counters into
  // the database DATABASE_URL names; tests now work in one made for them.
  it('creates an empty database of its own, not the one the URL names, and drops it', async () => {
    const database = await createThrowawayDatabase(adminUrl as string, 'tokenauth_test');
    onTestFinished(() => database.drop()); // also when an expectation fails first
    expect(database.name).toMatch(/^tokenauth_test_[0-9a-f]{12}$/);
    expect(new URL(database.url).pathname).toBe(`/${database.name}`);
    expect(await databaseExists(database.name)).toBe(true);

    const [here] = await queryOn(
      database.url,
      (sql) => sql`select current_database() as name,
        (select count(*)::int from pg_tables where schemaname = 'public') as tables`,
    );
    expect(here).toEqual({ name: database.name, tables: 0 });

    await database.drop();
    expect(await databaseExists(database.name)).toBe(false);
  });

  it('drops the database even while a connection to it is open', async () => {
    const database = await createThrowawayDatabase(adminUrl as string, 'tokenauth_test');
    onTestFinished(() => database.drop());
    const left = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      await left`select 1`;
      await database.drop();
      expect(await databaseExists(database.name)).toBe(false);
    } finally {
      await left.end();
    }
  });
});
