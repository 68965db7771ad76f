import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Linux nice value for every thread but the event loop's (0 is normal, 19 the lowest). */
export const HELPER_THREAD_NICE = 19;

/**
 * Lets the event loop have the CPU first: lowers the scheduling priority of
 * every other thread of this process (libuv's thread pool, where bcrypt
 * hashes, and V8's helpers) to nice 19 (the lowest). Hashing already never runs on the
 * event loop; without this it still competes with it for the cores, and on
 * 2 cores with logins flat out `auth.me`'s p99 tripled (docs/performance.md).
 * Spare CPU still goes to hashing, so logins lose no throughput.
 *
 * Call it once the thread pool exists (after the first hash). Linux only
 * (threads are listed in /proc, and `setpriority` is per thread there);
 * elsewhere, or if the system refuses, it changes nothing. Returns how many
 * threads it lowered.
 */
export function lowerHelperThreadPriority(): number {
  if (process.platform !== 'linux') return 0;
  let lowered = 0;
  for (const entry of readdirSync('/proc/self/task')) {
    const tid = Number(entry);
    if (tid === process.pid) continue; // the main thread: the event loop
    try {
      if (getPriority(tid) < HELPER_THREAD_NICE) {
        setPriority(tid, HELPER_THREAD_NICE);
        lowered += 1;
      }
    } catch {
      // The thread ended meanwhile, or the system says no: leave it be.
    }
  }
  return lowered;
}
