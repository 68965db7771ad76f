import { defineConfig, devices } from '@playwright/test';
import { nginxBinary } from '@tokenauth/deploy/testing';
import { chromiumExecutable } from './chromium.ts';

// Ports of their own, so a running `pnpm dev` (3000/5173) is left alone; a
// server already on these stops the run rather than being reused (below).
const API_PORT = 3100;
/** The API as `pnpm start` runs it: the built web app and the API, one origin. */
export const API_URL = `http://127.0.0.1:${API_PORT}`;
const WEB_URL = API_URL;
/** Where the tests read the mail the API sent (e2e/mail-catcher.ts). */
const MAIL_PORT = 3102;
export const MAIL_URL = `http://127.0.0.1:${MAIL_PORT}`;
/**
 * A second API and app in activation mode (REQUIRE_EMAIL_VERIFICATION), for
 * the journeys that need it: the same build, on a port of its own.
 */
const ACTIVATION_API_PORT = 3104;
const ACTIVATION_MAIL_PORT = 3105;
export const ACTIVATION = {
  webUrl: `http://127.0.0.1:${ACTIVATION_API_PORT}`,
  mailUrl: `http://127.0.0.1:${ACTIVATION_MAIL_PORT}`,
};

/**
 * A third API, with the web app built in JWT mode (VITE_AUTH_MODE=jwt), for
 * the 'jwt mode' project: login, silent renewal, logout and "session ended"
 * with JSON Web Tokens.
 */
const JWT_API_PORT = 3106;
export const JWT_MODE_URL = `http://127.0.0.1:${JWT_API_PORT}`;
const JWT_MODE_SPECS = /jwt-mode\.spec\.ts$/;

/**
 * Debian's nginx with deploy/nginx.conf, in front of the first API as in
 * production (HTTPS on NGINX_HTTPS_PORT, its port-80 server on
 * NGINX_HTTP_PORT), for the 'through nginx' project. Always in CI, which
 * installs nginx (.ci/run); elsewhere only where nginx is installed, so that
 * `pnpm test:e2e` runs without it.
 */
const throughNginx = Boolean(process.env.CI) || nginxBinary !== undefined;
const NGINX_HTTPS_PORT = 3443;
const NGINX_HTTP_PORT = 3480;
const NGINX_URL = `https://127.0.0.1:${NGINX_HTTPS_PORT}`;
/** The journey through nginx and Lighthouse run in a project of their own, and only there. */
const THROUGH_NGINX_SPECS = /(through-nginx|lighthouse)\.spec\.ts$/;

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: chromiumExecutable(),
    // Chromium's calls home only fail on a closed network; skip them.
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync'],
  },
};

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
    { name: 'chromium', use: chromium, testIgnore: [THROUGH_NGINX_SPECS, JWT_MODE_SPECS] },
    { name: 'jwt mode', testMatch: JWT_MODE_SPECS, use: { ...chromium, baseURL: JWT_MODE_URL } },
    ...(throughNginx
      ? [
          {
            name: 'through nginx',
            testMatch: THROUGH_NGINX_SPECS,
            // nginx's certificate is a throwaway, trusted by nobody.
            use: { ...chromium, baseURL: NGINX_URL, ignoreHTTPSErrors: true },
          },
        ]
      : []),
  ],
  webServer: [
    {
      // The real API and app as `pnpm build && pnpm start` serve them, on data
      // of its own that it removes when it stops: a new database on
      // DATABASE_URL's server, or a new PGlite directory (start-api.ts).
      command: 'node --import tsx start-api.ts',
      url: `${API_URL}/health`,
      env: {
        ...apiEnv,
        PORT: String(API_PORT),
        MAIL_PORT: String(MAIL_PORT),
        WEB_URL,
        // As in production behind nginx ('through nginx'). The 'chromium'
        // project calls it directly and sends no X-Forwarded-For, so its
        // clients are still their connections' addresses.
        TRUST_PROXY: '1',
      },
      // Never a server already on the port: it could be writing anywhere.
      reuseExistingServer: false,
      // A signal, not SIGKILL, so that start-api.ts can drop its database.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      timeout: 180_000,
    },
    {
      // Started after the first (Playwright starts them in order): the same
      // build, now in activation mode.
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
      // The same API build, with a JWT key, serving the web app built in JWT mode.
      command: 'node --import tsx start-api.ts',
      url: `${JWT_MODE_URL}/health`,
      env: {
        ...apiEnv,
        PORT: String(JWT_API_PORT),
        MAIL_PORT: String(JWT_API_PORT + 1),
        WEB_URL: JWT_MODE_URL,
        START_API_REUSE_BUILD: '1',
        START_API_WEB_MODE: 'jwt',
      },
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      timeout: 120_000,
    },
    ...(throughNginx
      ? [
          {
            // deploy/nginx.conf in front of the first API (start-nginx.ts).
            command: 'node --import tsx start-nginx.ts',
            url: `${NGINX_URL}/health`,
            ignoreHTTPSErrors: true,
            env: {
              UPSTREAM: API_URL,
              HTTP_PORT: String(NGINX_HTTP_PORT),
              HTTPS_PORT: String(NGINX_HTTPS_PORT),
            },
            reuseExistingServer: false,
            gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
            timeout: 30_000,
          },
        ]
      : []),
  ],
});
