import { createDb, type Db } from './client.ts';
import { migrate } from './migrate.ts';
import { createThrowawayDatabase } from './throwaway-database.ts';

export {
  createThrowawayDatabase,
  DatabaseServerError,
  type ThrowawayDatabase,
} from './throwaway-database.ts';

export type TestDatabase = { name: 'pglite' | 'postgres'; create(): Promise<TestDb> };
/** A fresh database; `url` is set for PostgreSQL, so other processes can connect. */
export type TestDb = Db & { url?: string; drop(): Promise<void> };

/**
 * The databases integration tests run against: always an in-memory PGlite,
 * and PostgreSQL too when `adminUrl` is given. Each `create()` makes a fresh,
 * migrated database of its own (a new PGlite instance, or a new PostgreSQL
 * database on `adminUrl`'s server, never the one it names), so test files
 * never see each other's rows nor leave any behind.
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
      const database = await createThrowawayDatabase(adminUrl, 'tokenauth_test');
      const handle = await createDb({ url: database.url, poolSize: 5 });
      try {
        await migrate(handle);
      } catch (error) {
        await handle.close();
        await database.drop();
        throw error;
      }
      return {
        ...handle,
        url: database.url,
        drop: async () => {
          await handle.close();
          await database.drop();
        },
      };
    },
  };
  return [pglite, postgresDb];
}
