import type { Database } from '@tokenauth/db';
import { testDatabases } from '@tokenauth/db/testing';
import { createContextInner } from '../context.ts';
import { env } from '../env.ts';
import { appRouter } from '../routers/app.ts';
import { createCallerFactory } from '../trpc.ts';

/** PGlite always; PostgreSQL too when DATABASE_URL is set (as in CI). */
export const databases = testDatabases(env.DATABASE_URL);

const createCaller = createCallerFactory(appRouter);

type ClientOptions = { now?: () => Date; userAgent?: string; ip?: string };

/** A caller as a client sending this Authorization header, or none. */
export function callerWithHeader(
  db: Database,
  authorization: string | undefined,
  options: ClientOptions = {},
) {
  return createCaller(createContextInner({ db, authorization, ...options }));
}

/** A caller as a client sending `Authorization: Token <token>`, or no header. */
export function callerFor(db: Database, token?: string, options: ClientOptions = {}) {
  return callerWithHeader(db, token === undefined ? undefined : `Token ${token}`, options);
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
