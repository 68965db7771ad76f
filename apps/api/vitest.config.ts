import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // No `env` here: tests build their own configuration (src/test/databases.ts)
    // and give the processes they start what those need.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One sentence, not a failure per file, when DATABASE_URL's server can't host the tests.
    globalSetup: ['@tokenauth/db/vitest-global-setup'],
  },
});
