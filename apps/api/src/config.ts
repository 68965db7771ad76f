import { availableParallelism } from 'node:os';
import type { DbOptions } from '@tokenauth/db';
import { DEV_JWT_KEY_FILE, type Env } from './env.ts';
import { devSigningKey } from './jwt/dev-key.ts';
import { type JwtKeys, keysFromPrivateKey, keysFromSecret } from './jwt/keys.ts';
import type { RateLimitConfig } from './rate-limit.ts';

/** How long tokens live; see README "Tokens" and "Expiry". */
export type TokenPolicy = {
  idleTimeoutMs: number;
  maxAgeMs: number;
  touchIntervalMs: number;
  /** Live tokens a user may have; issuing one more revokes the oldest. */
  limitPerUser: number;
  /** A JWT session ends after this long without a refresh (its refresh token's lifetime). */
  jwtIdleTimeoutMs: number;
};

/** JSON Web Tokens, when a key is configured; see README "JSON Web Tokens". */
export type JwtConfig = {
  keys: JwtKeys;
  accessLifetimeMs: number;
  refreshLifetimeMs: number;
  /** Whether each access token's session is looked up (revocation at once). */
  checkRevoked: boolean;
  /** Signed with the key `pnpm dev` made (DEV_JWT_KEY_FILE), not one configured. */
  devKey: boolean;
};

/** What the HTTP server needs to know; see README "Configuration". */
export type HttpConfig = {
  maxBodySize: number;
  /** The built web app to serve at `/` (production), or none (development: Vite serves it). */
  webAppDir: string | undefined;
  /** Strict-Transport-Security's max-age in seconds; 0 sends none. */
  hstsMaxAgeSeconds: number;
  /** Hops (a number) or proxy addresses whose X-Forwarded-For is believed. */
  trustProxy: number | string[];
  corsOrigins: string[];
};

export type PasswordConfig = {
  /** bcrypt work factor. */
  cost: number;
  minLength: number;
  /**
   * The helper threads bcrypt may hash on: libuv's pool (UV_THREADPOOL_SIZE,
   * which Node reads itself), but one kept for WebCrypto's JWT checks when
   * JWT is on.
   */
  threads: number;
};

/** Emailed links and how mail is sent; see README "Email". */
export type MailConfig = {
  webUrl: string;
  /** Unset: every message stays in the dev outbox. */
  smtpUrl: string | undefined;
  /**
   * Whether `GET /api/dev/outbox` shows the dev outbox (links included):
   * only without SMTP, and never with NODE_ENV=production.
   */
  devOutbox: boolean;
  from: string;
  /** Activation mode: no login, and no token at signup, until the address is confirmed. */
  requireVerification: boolean;
  passwordResetMaxAgeMs: number;
  emailVerificationMaxAgeMs: number;
};

/**
 * Everything the API is configured with, built once by the entry point from
 * the environment and passed down; tests build their own.
 */
export type Config = {
  listen: { host: string; port: number };
  /**
   * API processes (workers.ts) and the threads each hashes on: together,
   * the machine's cores. One process keeps UV_THREADPOOL_SIZE's.
   */
  processes: { workers: number; threadsPerWorker: number };
  database: DbOptions;
  http: HttpConfig;
  tokens: TokenPolicy;
  passwords: PasswordConfig;
  rateLimits: RateLimitConfig;
  mail: MailConfig;
  /** Off (undefined) without a key outside development. */
  jwt: JwtConfig | undefined;
  logLevel: Env['LOG_LEVEL'];
};

function processesFor(env: Env): Config['processes'] {
  const cores = availableParallelism();
  const workers = env.DATABASE_URL
    ? (env.API_WORKERS ?? (env.NODE_ENV === 'production' ? cores : 1))
    : 1; // PGlite: one process at a time
  return { workers, threadsPerWorker: Math.max(1, Math.floor(cores / workers)) };
}

export function configFromEnv(env: Env): Config {
  const jwt = jwtConfigFor(env);
  return {
    listen: { host: env.HOST, port: env.PORT },
    processes: processesFor(env),
    database: env.DATABASE_URL
      ? {
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT / 1000,
        }
      : { dataDir: env.PGLITE_DIR },
    http: {
      maxBodySize: env.MAX_BODY_SIZE,
      webAppDir: env.NODE_ENV === 'production' ? env.WEB_DIST_DIR : undefined,
      hstsMaxAgeSeconds: env.HSTS_MAX_AGE,
      trustProxy: env.TRUST_PROXY,
      corsOrigins: env.CORS_ORIGINS,
    },
    tokens: {
      idleTimeoutMs: env.TOKEN_IDLE_TIMEOUT,
      maxAgeMs: env.TOKEN_MAX_AGE,
      touchIntervalMs: env.TOKEN_TOUCH_INTERVAL,
      limitPerUser: env.TOKEN_LIMIT_PER_USER,
      jwtIdleTimeoutMs: env.JWT_REFRESH_TOKEN_LIFETIME,
    },
    passwords: {
      cost: env.BCRYPT_COST,
      minLength: env.PASSWORD_MIN_LENGTH,
      // With JWT on, bcrypt leaves one thread of the pool to WebCrypto's signature checks.
      threads: jwt ? Math.max(1, env.UV_THREADPOOL_SIZE - 1) : env.UV_THREADPOOL_SIZE,
    },
    rateLimits: {
      passwordFailuresPerUsername: env.RATE_LIMIT_PASSWORD_FAILURES_PER_USERNAME,
      passwordFailuresPerIp: env.RATE_LIMIT_PASSWORD_FAILURES_PER_IP,
      loginsPerIp: env.RATE_LIMIT_LOGINS_PER_IP,
      loginsPerUsername: env.RATE_LIMIT_LOGINS_PER_USERNAME,
      signupsPerIp: env.RATE_LIMIT_SIGNUPS_PER_IP,
      signupsPerUsername: env.RATE_LIMIT_SIGNUPS_PER_USERNAME,
      recoveriesPerIp: env.RATE_LIMIT_RECOVERY_PER_IP,
      recoveriesPerAddress: env.RATE_LIMIT_RECOVERY_PER_ADDRESS,
      confirmationsPerIp: env.RATE_LIMIT_CONFIRMATIONS_PER_IP,
      ipv6Prefix: env.RATE_LIMIT_IPV6_PREFIX,
    },
    mail: {
      webUrl: (
        env.WEB_URL ??
        (env.NODE_ENV === 'production' ? `http://localhost:${env.PORT}` : 'http://localhost:5173')
      ).replace(/\/+$/, ''),
      smtpUrl: env.SMTP_URL,
      devOutbox: env.SMTP_URL === undefined && env.NODE_ENV !== 'production',
      from: env.EMAIL_FROM,
      requireVerification: env.REQUIRE_EMAIL_VERIFICATION,
      passwordResetMaxAgeMs: env.PASSWORD_RESET_MAX_AGE,
      emailVerificationMaxAgeMs: env.EMAIL_VERIFICATION_MAX_AGE,
    },
    jwt,
    logLevel: env.LOG_LEVEL,
  };
}

function jwtConfigFor(env: Env): JwtConfig | undefined {
  const keys = env.JWT_PRIVATE_KEY
    ? keysFromPrivateKey(env.JWT_PRIVATE_KEY, env.JWT_PREVIOUS_KEYS)
    : env.JWT_SECRET
      ? keysFromSecret(env.JWT_SECRET, env.JWT_PREVIOUS_SECRET)
      : env.NODE_ENV === 'development'
        ? keysFromPrivateKey(devSigningKey(DEV_JWT_KEY_FILE))
        : undefined;
  return keys
    ? {
        keys,
        accessLifetimeMs: env.JWT_ACCESS_TOKEN_LIFETIME,
        refreshLifetimeMs: env.JWT_REFRESH_TOKEN_LIFETIME,
        checkRevoked: env.JWT_CHECK_REVOKED,
        devKey: !env.JWT_PRIVATE_KEY && !env.JWT_SECRET,
      }
    : undefined;
}

/** Where the data lives, for log lines; never prints a password. */
export function describeDatabase(options: DbOptions): string {
  if (!('url' in options)) return `PGlite at ${options.dataDir ?? 'memory'}`;
  const url = new URL(options.url);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
