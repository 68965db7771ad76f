import { describe, expect, it } from 'vitest';
import { createDb } from './client.ts';
import { migrate } from './migrate.ts';
import { createThrowawayDatabase } from './throwaway-database.ts';

// Tests read the environment directly: this package has no env module of its own.
const adminUrl = process.env.DATABASE_URL || undefined;

// Regression: processes started together (`pnpm start` migrates first) both
// applied the first migration, and the second failed ("relation already exists").
describe.skipIf(!adminUrl)('migrate on PostgreSQL', () => {
  it('lets processes that start together take turns, even with a pool of one', async () => {
    const database = await createThrowawayDatabase(adminUrl ?? '', 'tokenauth_migrate');
    const handles = await Promise.all(
      [1, 2, 3].map(() => createDb({ url: database.url, poolSize: 1 })),
    );
    try {
      await Promise.all(handles.map((handle) => migrate(handle)));
      const [first] = handles;
      if (first?.driver !== 'postgres') throw new Error('not PostgreSQL');
      const applied = await first.sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(applied[0]?.n).toBeGreaterThanOrEqual(7);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
      await database.drop();
    }
  });
});
