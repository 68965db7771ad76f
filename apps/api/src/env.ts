import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  duration,
  flag,
  optional,
  originList,
  privateKeyPem,
  publicKeyPems,
  rateLimit,
  trustedProxies,
} from './env-values.ts';
import { isJwtKey } from './jwt/keys.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where `pnpm dev` keeps the JWT signing key it makes (README "JSON Web Tokens"). */
export const DEV_JWT_KEY_FILE = resolve(repoRoot, '.data/jwt-dev-key.pem');

const schema = z.object({
  NODE_ENV: optional(z.enum(['development', 'test', 'production']).default('development')),
  HOST: optional(z.string().default('127.0.0.1')),
  PORT: optional(z.coerce.number().int().min(0).max(65_535).default(3000)),
  /** PostgreSQL server; when unset, the embedded PGlite database is used. */
  DATABASE_URL: optional(
    z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
  ),
  DATABASE_POOL_SIZE: optional(z.coerce.number().int().min(1).max(1000).default(10)),
  /** How long to wait for a PostgreSQL connection before answering 503. */
  DATABASE_CONNECT_TIMEOUT: duration('5s'),
  /** Where PGlite keeps its files; relative paths are from the repository root. */
  PGLITE_DIR: optional(
    z
      .string()
      .default('.data/pglite')
      .transform((dir) => (isAbsolute(dir) ? dir : resolve(repoRoot, dir))),
  ),
  /** bcrypt work factor: each step doubles the time a hash takes. */
  BCRYPT_COST: optional(z.coerce.number().int().min(4).max(31).default(12)),
  PASSWORD_MIN_LENGTH: optional(z.coerce.number().int().min(1).max(72).default(8)),
  /**
   * API processes sharing the port (node:cluster). Unset: one per core
   * under `pnpm start` (production), one in development; always one on
   * PGlite, which one process at a time may open.
   */
  API_WORKERS: optional(z.coerce.number().int().min(1).max(256).optional()),
  /**
   * Read by Node itself: the threads of libuv's pool, where bcrypt hashes.
   * Parsed here too, so that the hashing slots know how many there are.
   */
  UV_THREADPOOL_SIZE: optional(z.coerce.number().int().min(1).max(1024).default(4)),
  /** A token unused for this long expires; each use pushes this back. */
  TOKEN_IDLE_TIMEOUT: duration('14d'),
  /** A token expires this long after its login, however much it is used. */
  TOKEN_MAX_AGE: duration('90d'),
  /** Last-used times are written at most this often per token. */
  TOKEN_TOUCH_INTERVAL: duration('1m'),
  /** Live tokens a user may have; a login past it revokes the oldest. */
  TOKEN_LIMIT_PER_USER: optional(z.coerce.number().int().min(1).max(10_000).default(50)),
  /** Wrong passwords allowed per username (from any IP) and per IP (for any username). */
  RATE_LIMIT_PASSWORD_FAILURES_PER_USERNAME: rateLimit('10/15m'),
  RATE_LIMIT_PASSWORD_FAILURES_PER_IP: rateLimit('50/15m'),
  /** Logins, right or wrong, per IP and per username: each one costs a bcrypt check. */
  RATE_LIMIT_LOGINS_PER_IP: rateLimit('30/1m'),
  RATE_LIMIT_LOGINS_PER_USERNAME: rateLimit('10/1m'),
  /** Signup attempts per IP and per username. */
  RATE_LIMIT_SIGNUPS_PER_IP: rateLimit('10/1h'),
  RATE_LIMIT_SIGNUPS_PER_USERNAME: rateLimit('5/1h'),
  /** Requests for a reset or reminder email, per IP and per address or username asked about. */
  RATE_LIMIT_RECOVERY_PER_IP: rateLimit('10/1h'),
  RATE_LIMIT_RECOVERY_PER_ADDRESS: rateLimit('3/1h'),
  /** Emailed links followed (right or wrong), per IP: guessing a link's token is hopeless, and stays so. */
  RATE_LIMIT_CONFIRMATIONS_PER_IP: rateLimit('30/1h'),
  /** Per-IP limits count an IPv6 client by its network of this many bits. */
  RATE_LIMIT_IPV6_PREFIX: optional(z.coerce.number().int().min(1).max(128).default(64)),
  /**
   * Which X-Forwarded-For entries to believe: a number of proxy hops in front
   * of the API, or a comma-separated list of proxy addresses and ranges
   * (proxy-addr's forms: `10.0.0.1`, `10.0.0.0/8`, `loopback`); 0 believes none.
   */
  TRUST_PROXY: trustedProxies('0'),
  /** Origins allowed to call the API from a browser (CORS); none by default. */
  CORS_ORIGINS: originList(),
  /** Request bodies larger than this many bytes are refused with 413. */
  MAX_BODY_SIZE: optional(
    z.coerce
      .number()
      .int()
      .min(1024)
      .default(64 * 1024),
  ),
  /**
   * The built web app the API serves with NODE_ENV=production (`pnpm build`
   * makes it); relative paths are from the repository root.
   */
  WEB_DIST_DIR: optional(
    z
      .string()
      .default('apps/web/dist')
      .transform((dir) => (isAbsolute(dir) ? dir : resolve(repoRoot, dir))),
  ),
  /**
   * Strict-Transport-Security's max-age, in seconds, on every answer: set it
   * (31536000, a year) once the site is served over HTTPS only; 0 sends none.
   */
  HSTS_MAX_AGE: optional(z.coerce.number().int().min(0).default(0)),
  /**
   * Where the web app is: emailed links open its pages. Unset: Vite's dev
   * server, or under `pnpm start` (production) the API's own port.
   */
  WEB_URL: optional(z.url({ protocol: /^https?$/ }).optional()),
  /**
   * The SMTP server mail goes through (`smtp://user:pass@host:587`,
   * `smtps://…`); unset keeps every message in the dev outbox instead.
   */
  SMTP_URL: optional(
    z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  ),
  EMAIL_FROM: optional(z.string().min(3).default('tokenauth <no-reply@localhost>')),
  /**
   * Djoser's activation (SEND_ACTIVATION_EMAIL): signup needs an email, and
   * an account logs in only once its address is confirmed.
   */
  REQUIRE_EMAIL_VERIFICATION: flag(false),
  /** How long an emailed link works: a password reset, an email verification. */
  PASSWORD_RESET_MAX_AGE: duration('1h'),
  EMAIL_VERIFICATION_MAX_AGE: duration('3d'),
  /**
   * JSON Web Tokens (README "JSON Web Tokens"): the signing key, an Ed25519
   * (EdDSA) or P-256 (ES256) private key in PEM. Unset, and without
   * JWT_SECRET: a key made once and kept in .data/ under `pnpm dev`; JWT is
   * off in production.
   */
  JWT_PRIVATE_KEY: privateKeyPem().refine((key) => key === undefined || isJwtKey(key), {
    error: 'must be an Ed25519 or P-256 (prime256v1) private key',
  }),
  /** Earlier signing keys (PEM, public or private), still trusted until their tokens expire. */
  JWT_PREVIOUS_KEYS: publicKeyPems().refine((keys) => keys.every(isJwtKey), {
    error: 'must be Ed25519 or P-256 (prime256v1) keys',
  }),
  /** HS256 instead, as simplejwt signs by default: a secret of at least 32 characters. */
  JWT_SECRET: optional(z.string().min(32, { error: 'must be at least 32 characters' }).optional()),
  /** The HS256 secret before JWT_SECRET, still trusted until its tokens expire. */
  JWT_PREVIOUS_SECRET: optional(
    z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  ),
  JWT_ACCESS_TOKEN_LIFETIME: duration('5m'),
  /** Also how long a JWT session may go without a refresh. */
  JWT_REFRESH_TOKEN_LIFETIME: duration('1d'),
  /**
   * Check each access token's session in the database: a revoked session's
   * access tokens stop at once, for one more indexed query per request.
   */
  JWT_CHECK_REVOKED: flag(false),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export type Env = z.infer<typeof schema>;

/** Choices that exclude each other, and what needs what. */
function checkCombinations(env: Env): string[] {
  const problems: string[] = [];
  if (env.JWT_PRIVATE_KEY && env.JWT_SECRET) {
    problems.push('  JWT_SECRET: set JWT_PRIVATE_KEY or JWT_SECRET, not both');
  }
  if (env.JWT_PREVIOUS_SECRET && !env.JWT_SECRET) {
    problems.push('  JWT_PREVIOUS_SECRET: needs JWT_SECRET');
  }
  if (env.JWT_PREVIOUS_KEYS.length > 0 && !env.JWT_PRIVATE_KEY) {
    problems.push('  JWT_PREVIOUS_KEYS: needs JWT_PRIVATE_KEY');
  }
  return problems;
}

/** Every variable the API reads. */
export const ENV_VARIABLES = Object.keys(schema.shape) as (keyof Env)[];

/** Parses an environment; throws one error that lists every invalid variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  const problems = result.success
    ? checkCombinations(result.data)
    : result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  if (result.success && problems.length === 0) return result.data;
  throw new Error(`Invalid environment variables:\n${problems.join('\n')}`);
}

/**
 * The process's environment, parsed; on an invalid value, says which and
 * exits. The only reader of process.env: entry points call it once and pass
 * what they need down.
 */
export function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
