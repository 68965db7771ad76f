import { generateKeyPairSync } from 'node:crypto';
import type { Db } from '@tokenauth/db';
import { testDatabases } from '@tokenauth/db/testing';
import { type Config, configFromEnv } from '../config.ts';
import { createContextInner, type RequestInfo } from '../context.ts';
import { parseEnv } from '../env.ts';
import { noRateLimits } from '../rate-limit.ts';
import { createAppRouter } from '../routers/app.ts';
import { createServices, type Services } from '../services.ts';
import { createCallerFactory } from '../trpc.ts';

/** PGlite always; PostgreSQL too when DATABASE_URL is set (as in CI). */
export const databases = testDatabases(parseEnv(process.env).DATABASE_URL);

/** A JWT signing key made for this test run (PEM), so that no test writes the dev key file. */
export const TEST_JWT_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();

/**
 * A config as the API would build it from `environment`, with what tests
 * need by default: bcrypt's minimum cost keeps the suite fast, and JWTs
 * are signed with TEST_JWT_KEY unless the test brings its own secret.
 */
export function testConfig(environment: Record<string, string> = {}): Config {
  const jwtKey = environment.JWT_SECRET === undefined ? { JWT_PRIVATE_KEY: TEST_JWT_KEY } : {};
  return configFromEnv(
    parseEnv({ BCRYPT_COST: '4', LOG_LEVEL: 'silent', ...jwtKey, ...environment }),
  );
}

export const config = testConfig();

const services = new WeakMap<Db, Services>();

/** The services of `handle` with the test config and no rate limits, made once per database. */
export function servicesFor(handle: Db): Services {
  let made = services.get(handle);
  if (!made) {
    made = createServices(handle, config, { limits: noRateLimits });
    services.set(handle, made);
  }
  return made;
}

export const testRouter = createAppRouter({ passwordMinLength: config.passwords.minLength });
const createCaller = createCallerFactory(testRouter);

type ClientOptions = Omit<RequestInfo, 'authorization'>;

/** A caller as a client sending this Authorization header, or none. */
export function callerWithHeader(
  handle: Db,
  authorization: string | undefined,
  options: ClientOptions = {},
) {
  return createCaller(createContextInner(servicesFor(handle), { authorization, ...options }));
}

/** A caller as a client sending `Authorization: Token <token>`, or no header. */
export function callerFor(handle: Db, token?: string | null, options: ClientOptions = {}) {
  return callerWithHeader(handle, token == null ? undefined : `Token ${token}`, options);
}

/** A clock tests can move: `clock.now` for contexts, `clock.advance(ms)` to pass time. */
export function testClock(start = new Date('2030-01-01T00:00:00Z')) {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current = new Date(current.getTime() + ms);
    },
  };
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const DAY = 24 * 60 * MINUTE;

/** The first rejection of `call`, for asserting on errors a caller throws. */
export async function rejectionOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

let counter = 0;

/** A username no other test uses, so tests can share one database. */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}
