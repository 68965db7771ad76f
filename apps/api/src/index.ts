import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configFromEnv } from './config.ts';
import { loadEnv } from './env.ts';
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

const { workers, threadsPerWorker } = config.processes;
if (cluster.isPrimary && workers > 1) {
  superviseWorkers({ workers, threads: threadsPerWorker, logger });
} else {
  await serve(config, logger);
}
