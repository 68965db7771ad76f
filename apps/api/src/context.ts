import type { IncomingMessage } from 'node:http';
import type { Database } from '@tokenauth/db';

export type Context = {
  db: Database;
  /** The raw Authorization header; protectedProcedure parses and checks it. */
  authorization: string | undefined;
};

/** The context without HTTP: what tests pass to createCaller. */
export function createContextInner(context: {
  db: Database;
  authorization?: string | undefined;
}): Context {
  return { db: context.db, authorization: context.authorization };
}

/** Builds the HTTP adapter's createContext for one database. */
export function createContextFactory(db: Database) {
  return ({ req }: { req: IncomingMessage }): Context =>
    createContextInner({ db, authorization: req.headers.authorization });
}
