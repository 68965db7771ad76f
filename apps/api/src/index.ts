import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { warmUpPasswordHashing } from './auth/password.ts';
import { purgeExpiredTokens } from './auth/sessions.ts';
import { createDbFromEnv, describeDb } from './db.ts';
import { env } from './env.ts';
import { lowerHelperThreadPriority } from './helper-thread-priority.ts';
import { logger } from './logger.ts';
import { createServer } from './server.ts';

const SHUTDOWN_GRACE_MS = 10_000;

const handle = await createDbFromEnv();
const server = createServer(handle);
server.listen(env.PORT, env.HOST);
await once(server, 'listening');
await warmUpPasswordHashing(); // also starts libuv's thread pool
const lowered = lowerHelperThreadPriority();
const { port } = server.address() as AddressInfo;
logger.info(
  { port, helperThreadsLowered: lowered },
  `API listening on http://${env.HOST}:${port}/trpc (${describeDb()})`,
);

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

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish
 * (idle keep-alive connections are closed at once), close the database, exit
 * 0. Requests still running after the grace period are cut off, exit 1.
 */
async function shutdown(signal: string): Promise<void> {
  clearInterval(purgeTimer);
  setTimeout(() => {
    logger.error('requests still running after the grace period; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  server.close();
  server.closeIdleConnections();
  logger.info(`${signal} received: no new connections; finishing requests in flight`);
  await once(server, 'close');
  await handle.close();
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
