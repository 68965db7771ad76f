/**
 * The reference for login and signup: bcrypt hashes per second at the given
 * cost, with every core busy (as many hashes in flight as libuv has threads).
 * Prints one JSON line.
 */
import bcrypt from 'bcrypt';

const cost = Number(process.argv[2] ?? 12);
const seconds = Number(process.argv[3] ?? 5);
const parallel = Number(process.env.UV_THREADPOOL_SIZE ?? 4);

let done = 0;
const deadline = performance.now() + seconds * 1000;
await bcrypt.hash('warm up', cost);
const started = performance.now();
await Promise.all(
  Array.from({ length: parallel }, async () => {
    while (performance.now() < deadline) {
      await bcrypt.hash('correct horse battery staple', cost);
      done += 1;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
console.log(JSON.stringify({ hashesPerSecond: done / elapsed, hashes: done, parallel }));
