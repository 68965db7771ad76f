import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb, type Db } from './client.ts';
import { migrate } from './migrate.ts';

export type TestDatabase = { name: 'pglite' | 'postgres'; create(): Promise<TestDb> };
/** A fresh database; `url` is set for PostgreSQL, so other processes can connect. */
export type TestDb = Db & { url?: string; drop(): Promise<void> };

/**
 * The databases integration tests run against: always an in-memory PGlite,
 * and PostgreSQL too when `adminUrl` is given. Each `create()` makes a fresh,
 * migrated database of its own (a new PGlite instance, or a new PostgreSQL
 * database), so test files never see each other's rows.
 */
export function testDatabases(adminUrl: string | undefined): TestDatabase[] {
  const pglite: TestDatabase = {
    name: 'pglite',
    async create() {
      const handle = await createDb({});
      await migrate(handle);
      return { ...handle, drop: () => handle.close() };
    },
  };
  if (!adminUrl) return [pglite];

  const postgresDb: TestDatabase = {
    name: 'postgres',
    async create() {
      const name = `tokenauth_test_${randomBytes(6).toString('hex')}`;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`create database "${name}"`);
      } finally {
        await admin.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const handle = await createDb({ url: url.toString(), poolSize: 5 });
      await migrate(handle);
      return {
        ...handle,
        url: url.toString(),
        drop: async () => {
          await handle.close();
          const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
          try {
            await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
          } finally {
            await cleanup.end();
          }
        },
      };
    },
  };
  return [pglite, postgresDb];
}
