import { hash } from 'node:crypto';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyRequests } from './errors.ts';
import { ipLimitKey } from './ip-limit-key.ts';
import type { Attempt, Guard } from './rate-limit.ts';

/**
 * A key as stored: the counters' key column holds 255 characters with the
 * limiter's prefix, and a 150-character username can be longer lower-cased,
 * so long keys are stored as their SHA-256.
 */
function storedKey(key: string): string {
  return key.length <= 64 ? key : `sha256:${hash('sha256', key, 'hex')}`;
}

/** A guard counting each attempt per IP (by its network) and per username at once. */
export function guard(
  byIp: RateLimiterAbstract | null,
  byUsername: RateLimiterAbstract | null,
  ipv6Prefix: number,
): Guard {
  const limitersFor = ({ ip, username, apart }: Attempt) => {
    return [
      [byIp, storedKey(ipLimitKey(ip, ipv6Prefix))],
      [byUsername, storedKey(apart === undefined ? username : `${username} ${apart}`)],
    ].filter((entry): entry is [RateLimiterAbstract, string] => entry[0] !== null);
  };

  return {
    async consume(attempt) {
      const entries = limitersFor(attempt);
      const results = await Promise.allSettled(entries.map(([l, key]) => l.consume(key)));
      const refusals: RateLimiterRes[] = [];
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
        refusals.push(result.reason);
      }
      if (refusals.length === 0) return;
      // This attempt will not happen: give back what every limit counted,
      // the refusing ones included (they count a refused attempt too), so
      // that refusals, such as a burst of right passwords, leave no trace.
      await Promise.all(entries.map(([l, key]) => l.reward(key)));
      throw tooManyRequests(Math.max(...refusals.map((r) => r.msBeforeNext)) / 1000);
    },
    async refund(attempt) {
      await Promise.all(limitersFor(attempt).map(([l, key]) => l.reward(key)));
    },
  };
}
