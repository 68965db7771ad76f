import { createDb, isSchemaBehind } from '@tokenauth/db';
import { runCli } from './cli/run.ts';
import { configFromEnv } from './config.ts';
import { loadEnv } from './env.ts';
import { noRateLimits } from './rate-limit.ts';
import { createServices } from './services.ts';

// `pnpm -s cli …`: operator commands against the configured database.
const config = configFromEnv(loadEnv());
const handle = await createDb(config.database);
try {
  process.exitCode = await runCli(process.argv.slice(2), {
    // Operators are not rate limited.
    services: createServices(handle, config, { limits: noRateLimits }),
    passwordMinLength: config.passwords.minLength,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
} catch (error) {
  if (!isSchemaBehind(error)) throw error;
  process.stderr.write('The database is behind this code: run `pnpm db:migrate` first.\n');
  process.exitCode = 1;
} finally {
  await handle.close();
}
