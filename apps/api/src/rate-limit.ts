import type { Db } from '@tokenauth/db';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
} from 'rate-limiter-flexible';
import { ClientGone } from './auth/hashing-slots.ts';
import { ipLimitKey } from './ip-limit-key.ts';
import { guard } from './rate-limit-guard.ts';

/** A limit: `points` attempts per `durationMs`; null means no limit. */
export type RateLimit = { points: number; durationMs: number } | null;

/**
 * Who is attempting: the client's IP address and the username (key) at
 * stake. A client known to the user, by a network the user logged in from
 * or a token it holds (`apart`: that network or token), is counted per
 * username *and that*, apart from strangers, who share the username's
 * count: strangers can spend theirs, not the owner's.
 */
export type Attempt = { ip: string | undefined; username: string; apart?: string | undefined };

/** One kind of attempt, limited per IP and per username at once. */
export type Guard = {
  /** Counts an attempt, or throws 429 when either limit is spent (counting nothing). */
  consume(attempt: Attempt): Promise<void>;
  /** Gives the attempt back: it turned out not to count (a correct password). */
  refund(attempt: Attempt): Promise<void>;
};

export type RateLimits = {
  /** Wrong passwords, at login and on every procedure that checks one. */
  passwordFailures: Guard;
  /** Logins, right or wrong: each costs a bcrypt check and may issue a token. */
  logins: Guard;
  /** Attempts to claim a username: signups and renames. */
  signups: Guard;
  /** Requests for a reset or reminder email, per IP and per address (or username) asked about. */
  recoveries: Guard;
  /** Emailed links followed, per IP. */
  confirmations: Guard;
  /** The network an address is limited as: itself for IPv4, its /ipv6Prefix for IPv6. */
  networkOf(ip: string | undefined): string;
};

export type RateLimitConfig = {
  passwordFailuresPerUsername: RateLimit;
  passwordFailuresPerIp: RateLimit;
  loginsPerIp: RateLimit;
  loginsPerUsername: RateLimit;
  signupsPerIp: RateLimit;
  signupsPerUsername: RateLimit;
  recoveriesPerIp: RateLimit;
  recoveriesPerAddress: RateLimit;
  confirmationsPerIp: RateLimit;
  /** Per-IP limits count an IPv6 client by its network of this many bits. */
  ipv6Prefix: number;
};

const unlimited: Guard = { consume: async () => {}, refund: async () => {} };

/** For tests that are about something else. */
export const noRateLimits: RateLimits = {
  passwordFailures: unlimited,
  logins: unlimited,
  signups: unlimited,
  recoveries: unlimited,
  confirmations: unlimited,
  networkOf: (ip) => ipLimitKey(ip, 64),
};

/**
 * Limits kept in PostgreSQL (shared by every API process) when the database
 * is PostgreSQL, in memory with PGlite (a single process anyway). There is no
 * fallback to memory: a limit that cannot be counted refuses the attempt
 * (503 when the database is down), rather than quietly counting per process.
 */
export function createRateLimits(config: RateLimitConfig, handle: Db): RateLimits {
  const limiter = (keyPrefix: string, limit: RateLimit): RateLimiterAbstract | null => {
    if (!limit) return null;
    const options = { keyPrefix, points: limit.points, duration: limit.durationMs / 1000 };
    if (handle.driver !== 'postgres') return new RateLimiterMemory(options);
    const sql = handle.sql;
    return new RateLimiterPostgres({
      ...options,
      // rate-limiter-flexible speaks node-postgres; this is all it asks of a client.
      storeClient: {
        async query({ text, values }: { text: string; values?: unknown[] }) {
          const rows = await sql.unsafe(text, (values ?? []) as never[], { prepare: true });
          return { rows, rowCount: rows.count };
        },
      },
      storeType: 'client',
      tableName: 'rate_limits',
      tableCreated: true, // by the migrations
      // Ended windows are deleted by the API's hourly purge (purge-expired.ts).
      clearExpiredByTimeout: false,
    });
  };
  return {
    passwordFailures: guard(
      limiter('password_failures_ip', config.passwordFailuresPerIp),
      limiter('password_failures_username', config.passwordFailuresPerUsername),
      config.ipv6Prefix,
    ),
    logins: guard(
      limiter('logins_ip', config.loginsPerIp),
      limiter('logins_username', config.loginsPerUsername),
      config.ipv6Prefix,
    ),
    signups: guard(
      limiter('signups_ip', config.signupsPerIp),
      limiter('signups_username', config.signupsPerUsername),
      config.ipv6Prefix,
    ),
    recoveries: guard(
      limiter('recoveries_ip', config.recoveriesPerIp),
      limiter('recoveries_address', config.recoveriesPerAddress),
      config.ipv6Prefix,
    ),
    confirmations: guard(
      limiter('confirmations_ip', config.confirmationsPerIp),
      null,
      config.ipv6Prefix,
    ),
    networkOf: (ip) => ipLimitKey(ip, config.ipv6Prefix),
  };
}

/**
 * Runs one password check as an attempt: counted before the check, so racing
 * guesses cannot slip past the limit, and given back when the password was
 * right, so only failures count.
 */
export async function limitPasswordGuesses<T>(
  guard: Guard,
  attempt: Attempt,
  check: () => Promise<T>,
  wrongPassword: (result: T) => boolean,
): Promise<T> {
  await guard.consume(attempt);
  let result: T;
  try {
    result = await check();
  } catch (error) {
    // No password was checked for a client that left: its attempt is given back.
    if (error instanceof ClientGone) await guard.refund(attempt);
    throw error;
  }
  if (!wrongPassword(result)) await guard.refund(attempt);
  return result;
}
