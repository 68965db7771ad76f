import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.ts';

/** What application code queries: the same API on either driver. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DbOptions =
  /** A PostgreSQL server, through a postgres.js pool. */
  | { url: string; poolSize?: number; connectTimeoutSeconds?: number }
  /** Embedded PGlite, stored in `dataDir`, or in memory when it is omitted. */
  | { dataDir?: string };

export type Db = {
  readonly db: Database;
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
} & (
  | {
      readonly driver: 'postgres';
      /** The server and database, for a connection of its own (migrate's lock). */
      readonly url: string;
      readonly native: PostgresJsDatabase<typeof schema>;
      /** The postgres.js pool itself, for libraries that bring their own SQL. */
      readonly sql: postgres.Sql;
    }
  | {
      readonly driver: 'pglite';
      readonly native: PgliteDatabase<typeof schema>;
      /** The PGlite instance itself. */
      readonly pglite: PGlite;
    }
);

/**
 * Opens the database. PGlite is imported only when it is used: with
 * PostgreSQL, its ~17 MB of code never loads.
 */
export async function createDb(options: DbOptions): Promise<Db> {
  if ('url' in options) {
    const client = postgres(options.url, {
      max: options.poolSize ?? 10,
      // Fail fast rather than hang when the server is unreachable.
      connect_timeout: options.connectTimeoutSeconds ?? 5,
      // "relation already exists, skipping" and friends are not worth a log line.
      onnotice: () => {},
    });
    const native = drizzlePostgres({ client, schema });
    return {
      driver: 'postgres',
      url: options.url,
      native,
      sql: client,
      db: native,
      ping: async () => {
        await native.execute(sql`select 1`);
      },
      close: () => client.end({ timeout: 5 }),
    };
  }

  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = new PGlite(options.dataDir);
  const native = drizzlePglite({ client, schema });
  return {
    driver: 'pglite',
    native,
    pglite: client,
    db: native,
    ping: async () => {
      await native.execute(sql`select 1`);
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}
