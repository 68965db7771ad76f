import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createDb } from '@tokenauth/db';
import type { Logger } from 'pino';
import { type Config, describeDatabase } from './config.ts';
import { lowerHelperThreadPriority } from './helper-thread-priority.ts';
import { purgeExpired } from './purge-expired.ts';
import { createServer } from './server.ts';
import { createServices } from './services.ts';

const SHUTDOWN_GRACE_MS = 10_000;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * One API process: opens the database, serves, purges hourly, and on
 * SIGTERM/SIGINT drains and exits. Alone, or as one of API_WORKERS.
 */
export async function serve(config: Config, logger: Logger): Promise<void> {
  const handle = await createDb(config.database);
  const services = createServices(handle, config, {}, logger);
  const server = createServer(config, { handle, services, logger });
  server.listen(config.listen.port, config.listen.host);
  await once(server, 'listening');
  await services.hasher.warmUp(); // also starts libuv's thread pool
  const lowered = lowerHelperThreadPriority();
  const { port } = server.address() as AddressInfo;
  logger.info(
    { port, helperThreadsLowered: lowered },
    `API listening on http://${config.listen.host}:${port}/trpc${config.http.webAppDir ? ', the web app on /' : ''} (${describeDatabase(config.database)})`,
  );

  // Expired tokens (and emailed links) are refused when presented; the rest
  // are swept here, at start-up and then hourly (`pnpm -s cli purge` does it on demand).
  async function purge(): Promise<void> {
    try {
      const purged = await purgeExpired(handle.db, config.tokens, new Date());
      if (Object.values(purged).some((count) => count > 0)) logger.info({ purged }, 'purged');
    } catch (error) {
      logger.warn({ err: error }, 'could not purge what has expired');
    }
  }
  void purge();
  // Mail queued before a restart, or due for a retry, goes out now.
  void services.mail.outbox.drain();
  const purgeTimer = setInterval(() => void purge(), PURGE_INTERVAL_MS).unref();

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
    // Mail work the last requests left behind (a reset's lookup) finishes first.
    await services.mail.outbox.drain();
    services.mail.outbox.close();
    await handle.close();
    logger.info('stopped');
    process.exit(0);
  }
  // Handled once, and ignored after: Ctrl-C reaches a worker from the
  // terminal and again from the primary, and must not cut its drain short.
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void shutdown(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
