import { once } from 'node:events';
import { warmUpPasswordHashing } from './auth/password.ts';
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

async function shutdown(signal: string): Promise<void> {
  logger.info(`${signal} received, shutting down`);
  server.close();
  server.closeIdleConnections();
  await once(server, 'close');
  await handle.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
