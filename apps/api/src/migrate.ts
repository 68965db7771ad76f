import { migrate } from '@tokenauth/db';
import { createDbFromEnv, describeDb } from './db.ts';

// `pnpm db:migrate`: applies the committed migrations to the configured database.
const handle = await createDbFromEnv();
try {
  await migrate(handle);
  console.log(`Migrations applied to ${describeDb()}.`);
} finally {
  await handle.close();
}
