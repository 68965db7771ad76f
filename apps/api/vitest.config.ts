import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // No `env` here: tests build their own configuration (src/test/databases.ts)
    // and give the processes they start what those need.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
