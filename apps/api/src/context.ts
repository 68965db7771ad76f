import type { Database } from '@tokenauth/db';
import { noRateLimits, type RateLimits } from './rate-limit.ts';

export type Context = {
  db: Database;
  /** The raw Authorization header; protectedProcedure parses and checks it. */
  authorization: string | undefined;
  /** Recorded with the tokens a login issues, and keys the per-IP rate limits. */
  userAgent: string | undefined;
  ip: string | undefined;
  limits: RateLimits;
  /** The current time; tests move it to expire tokens. */
  now: () => Date;
};

const currentTime = () => new Date();

/**
 * The context without HTTP: what tests pass to createCaller, and what the
 * server builds for each request.
 */
export function createContextInner(context: {
  db: Database;
  authorization?: string | undefined;
  userAgent?: string | undefined;
  ip?: string | undefined;
  limits?: RateLimits;
  now?: () => Date;
}): Context {
  return {
    db: context.db,
    authorization: context.authorization,
    userAgent: context.userAgent,
    ip: context.ip,
    limits: context.limits ?? noRateLimits,
    now: context.now ?? currentTime,
  };
}
