import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configFromEnv } from './config.ts';
import { DEV_JWT_KEY_FILE, loadEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { serve } from './serve.ts';
import { superviseWorkers } from './workers.ts';

const config = configFromEnv(loadEnv());
const logger = createLogger({ level: config.logLevel });
// In production the API serves the built web app: without it, say so and stop.
const webApp = config.http.webAppDir;
if (webApp && !existsSync(join(webApp, 'index.html'))) {
  process.stderr.write(
    `No web app build in ${webApp}: run \`pnpm build\` first (or set WEB_DIST_DIR).\n`,
  );
  process.exit(1);
}

if (cluster.isPrimary) {
  const { jwt } = config;
  if (jwt?.devKey) {
    logger.info(`JWTs are signed with the development key in ${DEV_JWT_KEY_FILE}`);
  } else if (!jwt) {
    logger.info('JWT is off: set JWT_PRIVATE_KEY or JWT_SECRET to turn it on');
  }
}

const { workers, threadsPerWorker } = config.processes;
if (cluster.isPrimary && workers > 1) {
  superviseWorkers({ workers, threads: threadsPerWorker, spareThread: !!config.jwt, logger });
} else {
  await serve(config, logger);
}
