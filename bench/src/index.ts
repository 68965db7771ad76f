/**
 * `pnpm bench [--smoke] [--profile]` (run.ts): the API against its
 * references. `pnpm bench --scale [--smoke]` (scale.ts): the same API on a
 * database of 10⁶ users next to a small one.
 */
await import(process.argv.includes('--scale') ? './scale.ts' : './run.ts');

export {};
