import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** A worker dying this often within `CRASH_WINDOW_MS` is a crash loop: stop rather than spin. */
const CRASH_LIMIT = 10;
const CRASH_WINDOW_MS = 60_000;

/**
 * The primary of `API_WORKERS` processes (node:cluster), which share the
 * port. A worker that dies is logged and replaced; SIGTERM or SIGINT is
 * passed to every worker, each finishes its requests in flight (index.ts),
 * and the primary exits once all have: 0 if they all stopped cleanly. Each
 * worker hashes on `threads` helper threads, so that the workers together
 * hash on as many threads as the machine has cores; with JWT on, one more
 * (UV_THREADPOOL_SIZE is `threads` + 1) that bcrypt never takes: checking a
 * JWT's signature (WebCrypto) runs on the pool too, and must not wait
 * behind a password hash.
 */
export function superviseWorkers(options: {
  workers: number;
  threads: number;
  /** One more helper thread per worker, for JWT signature checks. */
  spareThread: boolean;
  logger: Logger;
}) {
  const { workers, threads, spareThread, logger } = options;
  let stopping = false;
  let failed = false;
  const deaths: number[] = [];
  const pool = threads + (spareThread ? 1 : 0);
  const fork = () => cluster.fork({ UV_THREADPOOL_SIZE: String(pool) });
  const alive = () => Object.values(cluster.workers ?? {}).filter(Boolean) as Worker[];

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (code !== 0) failed = true;
      if (alive().length === 0) {
        logger.info('every worker stopped');
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && (deaths[0] ?? now) < now - CRASH_WINDOW_MS) deaths.shift();
    if (deaths.length >= CRASH_LIMIT) {
      logger.fatal({ deaths: deaths.length }, 'workers keep dying; stopping');
      stop('SIGTERM', true);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
    fork();
  });

  function stop(signal: NodeJS.Signals, crashed = false): void {
    if (stopping) return;
    stopping = true;
    failed = crashed;
    logger.info(`${signal} received: stopping ${alive().length} workers`);
    if (alive().length === 0) process.exit(failed ? 1 : 0);
    for (const worker of alive()) worker.process.kill(signal);
  }
  // stop() acts once; a second signal (Ctrl-C twice) is ignored, not fatal.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < workers; i++) fork();
  logger.info({ workers, threadsPerWorker: threads }, `started ${workers} API workers`);
}
