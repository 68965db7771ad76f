import { createDb, migrate } from '@tokenauth/db';
import { configFromEnv, describeDatabase } from './config.ts';
import { loadEnv } from './env.ts';

// `pnpm db:migrate`: applies the committed migrations to the configured database.
const { database } = configFromEnv(loadEnv());
const handle = await createDb(database);
try {
  await migrate(handle);
  console.log(`Migrations applied to ${describeDatabase(database)}.`);
} finally {
  await handle.close();
}
