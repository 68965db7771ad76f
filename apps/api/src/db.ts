import { createDb, type Db } from '@tokenauth/db';
import { env } from './env.ts';

/** PostgreSQL when DATABASE_URL is set, the embedded PGlite database otherwise. */
export function createDbFromEnv(): Promise<Db> {
  return env.DATABASE_URL
    ? createDb({
        url: env.DATABASE_URL,
        poolSize: env.DATABASE_POOL_SIZE,
        connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT / 1000,
      })
    : createDb({ dataDir: env.PGLITE_DIR });
}

/** Where the data lives, for log lines; never prints a password. */
export function describeDb(): string {
  if (!env.DATABASE_URL) return `PGlite at ${env.PGLITE_DIR}`;
  const url = new URL(env.DATABASE_URL);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
