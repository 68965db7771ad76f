import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

export type HashingSlots = {
  /**
   * Runs `hash` once a slot is free; slots are taken in arrival order. If
   * `signal` is aborted by then (the client went away), the hash never
   * starts and `run` rejects with ClientGone.
   */
  run<T>(hash: () => Promise<T>, signal?: AbortSignal): Promise<T>;
};

/** A hash was not started: the client that asked for it had gone. */
export class ClientGone extends Error {
  constructor() {
    super('the client went away before its password could be checked');
  }
}

/**
 * Bounds how many password hashes run at once: `max` while the event loop is
 * idle, `whenBusy` while it is busy serving other requests. Hashes run on
 * libuv's threads, never on the event loop, but on a machine with few cores
 * they still take the cores it needs: with every core hashing, `auth.me`'s
 * tail latency grows several times over (docs/performance.md). Logins alone
 * keep every core.
 */
export function createHashingSlots(options: {
  max: number;
  whenBusy: number;
  isBusy: () => boolean;
}): HashingSlots {
  let running = 0;
  const waiting: Array<() => void> = [];
  const limit = () => (options.isBusy() ? options.whenBusy : options.max);

  function startWaiting(): void {
    while (waiting.length > 0 && running < limit()) {
      running += 1;
      waiting.shift()?.();
    }
  }

  return {
    async run(hash, signal) {
      if (waiting.length === 0 && running < limit()) {
        running += 1;
      } else {
        await new Promise<void>((start) => waiting.push(start));
      }
      if (signal?.aborted) {
        // Nobody is waiting for this answer: the slot goes to the next in line.
        running -= 1;
        startWaiting();
        throw new ClientGone();
      }
      try {
        return await hash();
      } finally {
        running -= 1;
        startWaiting();
      }
    },
  };
}

/**
 * Whether the event loop was busy (utilization above `threshold`) over the
 * last sampling period. Sampled on a timer that does not keep the process
 * alive; nothing is measured per request.
 */
export function eventLoopBusyProbe(periodMs = 100, threshold = 0.5): () => boolean {
  let busy = false;
  let last = performance.eventLoopUtilization();
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    busy = performance.eventLoopUtilization(now, last).utilization > threshold;
    last = now;
  }, periodMs).unref();
  return () => busy;
}

/** The API's slots: libuv's pool size (`threads`) when idle, one core fewer when busy. */
export function hashingSlotsFor(threads: number): HashingSlots {
  return createHashingSlots({
    max: threads,
    whenBusy: Math.max(1, Math.min(threads, availableParallelism() - 1)),
    isBusy: eventLoopBusyProbe(),
  });
}
