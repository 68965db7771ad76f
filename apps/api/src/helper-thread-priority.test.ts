import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HELPER_THREAD_NICE } from './helper-thread-priority.ts';

const moduleUrl = new URL('./helper-thread-priority.ts', import.meta.url).href;

// In a process of its own: the function acts on every thread of the process it runs in.
const script = `
import { readdirSync, readFileSync } from 'node:fs';
import { pbkdf2 } from 'node:crypto';
const { lowerHelperThreadPriority } = await import(${JSON.stringify(moduleUrl)});
await new Promise((done) => pbkdf2('x', 'y', 1, 8, 'sha256', done)); // starts the thread pool
const lowered = lowerHelperThreadPriority();
const nice = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
const others = readdirSync('/proc/self/task').filter((tid) => Number(tid) !== process.pid).map(nice);
console.log(JSON.stringify({ lowered, main: nice(process.pid), others }));
`;

describe('lowerHelperThreadPriority', () => {
  it.runIf(process.platform === 'linux')(
    "lowers every thread but the event loop's, the thread pool's included",
    () => {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' },
      );
      const { lowered, main, others } = JSON.parse(out) as {
        lowered: number;
        main: number;
        others: number[];
      };
      expect(main).toBe(0);
      // V8's helpers, tsx's loader, and libuv's four pool threads at least.
      expect(others.length).toBeGreaterThanOrEqual(5);
      expect(lowered).toBe(others.length);
      expect(new Set(others)).toEqual(new Set([HELPER_THREAD_NICE]));
    },
  );
});
