import { type Database, rateLimits } from '@tokenauth/db';
import { sql } from 'drizzle-orm';
import { forgetNetworks } from './auth/known-networks.ts';
import { purgeOneTimeTokens } from './auth/one-time-tokens.ts';
import { purgeExpiredTokens } from './auth/tokens.ts';
import type { TokenPolicy } from './config.ts';
import { deleteInBatches } from './delete-in-batches.ts';
import { purgeMail } from './mail/outbox.ts';

/** How long what was sent is kept, for whoever looks into a complaint. */
const MAIL_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

type Purged = {
  tokens: number;
  networks: number;
  links: number;
  mail: number;
  rateLimits: number;
};

/**
 * Deletes what can no longer be used: expired tokens and emailed links, the
 * networks known for longer than any token lives, old mail, and rate-limit
 * counters whose window has ended. The API runs it hourly (serve.ts),
 * `pnpm -s cli purge` on demand. Each kind goes in batches (deleteInBatches):
 * requests go on meanwhile.
 */
export async function purgeExpired(db: Database, policy: TokenPolicy, now: Date): Promise<Purged> {
  return {
    tokens: await purgeExpiredTokens(db, policy, now),
    // A network is known for as long as a token from it could live.
    networks: await forgetNetworks(db, new Date(now.getTime() - policy.maxAgeMs)),
    links: await purgeOneTimeTokens(db, now),
    mail: await purgeMail(db, new Date(now.getTime() - MAIL_KEPT_MS)),
    rateLimits: await purgeRateLimits(db, now),
  };
}

/**
 * Counters whose window has ended: rate-limiter-flexible treats them as
 * zero, and a flood of distinct keys (a username or an address per
 * request) would otherwise grow the table for good. Done here rather than
 * by the library's own timer, so that a purge is one thing, measured once
 * (bench --scale).
 */
function purgeRateLimits(db: Database, now: Date): Promise<number> {
  return deleteInBatches(
    db,
    rateLimits,
    sql`${rateLimits.expire} < ${now.getTime()}`,
    rateLimits.expire,
  );
}
