import type { Database } from '@tokenauth/db';
import { testDatabases } from '@tokenauth/db/testing';
import { createContextInner } from '../context.ts';
import { env } from '../env.ts';
import { appRouter } from '../routers/app.ts';
import { createCallerFactory } from '../trpc.ts';

/** PGlite always; PostgreSQL too when DATABASE_URL is set (as in CI). */
export const databases = testDatabases(env.DATABASE_URL);

const createCaller = createCallerFactory(appRouter);

/** A caller as a client sending this Authorization header, or none. */
export function callerWithHeader(db: Database, authorization: string | undefined) {
  return createCaller(createContextInner({ db, authorization }));
}

/** A caller as a client sending `Authorization: Token <token>`, or no header. */
export function callerFor(db: Database, token?: string) {
  return callerWithHeader(db, token === undefined ? undefined : `Token ${token}`);
}

let counter = 0;
/** A username no other test uses, so tests can share one database. */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}
