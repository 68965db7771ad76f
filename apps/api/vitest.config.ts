import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // bcrypt's minimum cost keeps the suite fast; production defaults to 12.
    env: { BCRYPT_COST: '4', LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One sentence, not a failure per file, when DATABASE_URL's server can't host the tests.
    globalSetup: ['@tokenauth/db/vitest-global-setup'],
  },
});
