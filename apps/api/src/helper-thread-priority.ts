import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Linux nice value for every thread but the event loop's (0 is normal, 19 the
 * lowest). 19 measured the same as 10, for `auth.me` and for logins alike;
 * 10 is the milder.
 */
export const HELPER_THREAD_NICE = 10;

/**
 * Lets the event loop have the CPU first: lowers the scheduling priority of
 * every other thread of this process to nice 10. Those are libuv's thread
 * pool, where bcrypt hashes, and V8's helpers; they cannot be told apart
 * (Node 20 names them all "node", and the pool already exists when our first
 * module loads, since the ES module loader reads files through it). Hashing
 * never runs on the event loop, but without this it competes with it for the
 * cores, and on a machine with few cores `auth.me` slows down markedly while
 * logins run flat out (measured in docs/performance.md). Spare CPU still goes
 * to hashing, so logins lose no throughput.
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
