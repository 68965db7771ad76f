import type { Database } from '@tokenauth/db';
import { type SQL, sql } from 'drizzle-orm';

/** Rows of a raw query, whichever the driver (postgres.js gives an array, PGlite `{ rows }`). */
export async function sqlRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** A time as a raw query's parameter (postgres.js takes no Date there). */
export const sqlTime = (time: Date): SQL => sql`${time.toISOString()}::timestamptz`;

/** Runs statements one by one: PGlite prepares each query, and a prepared statement holds one. */
export async function runStatements(db: Database, statements: string[]): Promise<void> {
  for (const statement of statements) await db.execute(sql.raw(statement));
}
