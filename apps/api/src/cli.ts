import { runCli } from './cli/run.ts';
import { createDbFromEnv } from './db.ts';

// `pnpm -s cli …`: operator commands against the configured database.
const handle = await createDbFromEnv();
try {
  process.exitCode = await runCli(process.argv.slice(2), {
    db: handle.db,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
} finally {
  await handle.close();
}
