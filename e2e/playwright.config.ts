import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import { chromiumExecutable } from './chromium.ts';

// Ports of their own, so a running `pnpm dev` (3000/5173) is left alone; a
// server already on these stops the run rather than being reused (below).
const API_PORT = 3100;
const WEB_PORT = 5174;
export const API_URL = `http://127.0.0.1:${API_PORT}`;
const WEB_URL = `http://localhost:${WEB_PORT}`;
/** Where the tests read the mail the API sent (e2e/mail-catcher.ts). */
const MAIL_PORT = 3102;
export const MAIL_URL = `http://127.0.0.1:${MAIL_PORT}`;
/**
 * A second API and app in activation mode (REQUIRE_EMAIL_VERIFICATION), for
 * the journeys that need it; the app is the same build, proxying to it.
 */
const ACTIVATION_API_PORT = 3104;
const ACTIVATION_MAIL_PORT = 3105;
const ACTIVATION_WEB_PORT = 5176;
export const ACTIVATION = {
  webUrl: `http://localhost:${ACTIVATION_WEB_PORT}`,
  mailUrl: `http://127.0.0.1:${ACTIVATION_MAIL_PORT}`,
};
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** What both APIs under test run with. */
const apiEnv = {
  BCRYPT_COST: '4',
  // Not the default 8, so the tests see the forms follow the server's policy.
  PASSWORD_MIN_LENGTH: '10',
  LOG_LEVEL: 'warn',
  // Every test signs up users from this one machine; the limits
  // themselves are tested in apps/api.
  RATE_LIMIT_SIGNUPS_PER_IP: '10000/1h',
  RATE_LIMIT_PASSWORD_FAILURES_PER_IP: '10000/15m',
  RATE_LIMIT_LOGINS_PER_IP: '10000/1m',
  RATE_LIMIT_RECOVERY_PER_IP: '10000/1h',
  RATE_LIMIT_CONFIRMATIONS_PER_IP: '10000/1h',
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: WEB_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: chromiumExecutable(),
          // Chromium's calls home only fail on a closed network; skip them.
          args: ['--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
  webServer: [
    {
      // The real API, on data of its own that it removes when it stops: a new
      // database on DATABASE_URL's server, or a new PGlite directory (start-api.ts).
      command: 'node --import tsx start-api.ts',
      url: `${API_URL}/health`,
      env: { ...apiEnv, PORT: String(API_PORT), MAIL_PORT: String(MAIL_PORT), WEB_URL },
      // Never a server already on the port: it could be writing anywhere.
      reuseExistingServer: false,
      // A signal, not SIGKILL, so that start-api.ts can drop its database.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      timeout: 60_000,
    },
    {
      // The real app as it ships: a production build, served with the /trpc proxy.
      command: 'pnpm --filter @tokenauth/web build && pnpm --filter @tokenauth/web preview',
      cwd: repoRoot,
      url: WEB_URL,
      env: { WEB_PORT: String(WEB_PORT), API_URL },
      // Nor an app already on the port: it could be another checkout's build.
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      // Started after the first two (Playwright starts them in order): the API
      // and the app they built, now in activation mode.
      command: 'node --import tsx start-api.ts',
      url: `http://127.0.0.1:${ACTIVATION_API_PORT}/health`,
      env: {
        ...apiEnv,
        PORT: String(ACTIVATION_API_PORT),
        MAIL_PORT: String(ACTIVATION_MAIL_PORT),
        WEB_URL: ACTIVATION.webUrl,
        REQUIRE_EMAIL_VERIFICATION: 'true',
        START_API_REUSE_BUILD: '1',
      },
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      timeout: 60_000,
    },
    {
      command: 'pnpm --filter @tokenauth/web preview',
      cwd: repoRoot,
      url: ACTIVATION.webUrl,
      env: {
        WEB_PORT: String(ACTIVATION_WEB_PORT),
        API_URL: `http://127.0.0.1:${ACTIVATION_API_PORT}`,
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
