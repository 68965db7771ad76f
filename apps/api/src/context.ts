import type { IncomingMessage } from 'node:http';
import type { Database } from '@tokenauth/db';

export type Context = {
  db: Database;
  /** The raw Authorization header; protectedProcedure parses and checks it. */
  authorization: string | undefined;
  /** Recorded with the tokens a login issues. */
  userAgent: string | undefined;
  ip: string | undefined;
  /** The current time; tests move it to expire tokens. */
  now: () => Date;
};

/** The context without HTTP: what tests pass to createCaller. */
export function createContextInner(context: {
  db: Database;
  authorization?: string | undefined;
  userAgent?: string | undefined;
  ip?: string | undefined;
  now?: () => Date;
}): Context {
  return {
    db: context.db,
    authorization: context.authorization,
    userAgent: context.userAgent,
    ip: context.ip,
    now: context.now ?? (() => new Date()),
  };
}

/** Builds the HTTP adapter's createContext for one database. */
export function createContextFactory(db: Database) {
  return ({ req }: { req: IncomingMessage }): Context =>
    createContextInner({
      db,
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent']?.slice(0, 512),
      ip: req.socket.remoteAddress,
    });
}
