import { once } from 'node:events';
import { warmUpPasswordHashing } from './auth/password.ts';
import { purgeExpiredTokens } from './auth/sessions.ts';
import { createDbFromEnv, describeDb } from './db.ts';
import { env } from './env.ts';
import { logger } from './logger.ts';
import { createServer } from './server.ts';

const handle = createDbFromEnv();
const server = createServer(handle);
server.listen(env.PORT, env.HOST);
await once(server, 'listening');
await warmUpPasswordHashing();
logger.info(`API listening on http://${env.HOST}:${env.PORT}/trpc (${describeDb()})`);

// Expired tokens are refused and deleted when presented; the rest are swept
// here, at start-up and then hourly (`pnpm cli token purge` does it on demand).
async function purge(): Promise<void> {
  try {
    const purged = await purgeExpiredTokens(handle.db, new Date());
    if (purged > 0) logger.info({ purged }, 'purged expired tokens');
  } catch (error) {
    logger.warn({ err: error }, 'could not purge expired tokens');
  }
}
void purge();
const purgeTimer = setInterval(() => void purge(), 60 * 60 * 1000).unref();

async function shutdown(signal: string): Promise<void> {
  logger.info(`${signal} received, shutting down`);
  clearInterval(purgeTimer);
  server.close();
  server.closeIdleConnections();
  await once(server, 'close');
  await handle.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
