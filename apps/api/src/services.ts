import type { Database, Db } from '@tokenauth/db';
import { hashingSlotsFor } from './auth/hashing-slots.ts';
import { createPasswordHasher, type PasswordHasher } from './auth/password-hasher.ts';
import { createTokenLookup, type TokenLookup } from './auth/verify-token.ts';
import type { Config, TokenPolicy } from './config.ts';
import { createRateLimits, type RateLimits } from './rate-limit.ts';

/** What procedures and the CLI work with, built once per process from the config. */
export type Services = {
  db: Database;
  findToken: TokenLookup;
  hasher: PasswordHasher;
  tokenPolicy: TokenPolicy;
  limits: RateLimits;
};

export function createServices(
  handle: Db,
  config: Pick<Config, 'tokens' | 'passwords' | 'rateLimits'>,
  overrides: Partial<Services> = {},
): Services {
  return {
    db: handle.db,
    findToken: overrides.findToken ?? createTokenLookup(handle),
    hasher:
      overrides.hasher ??
      createPasswordHasher({
        cost: config.passwords.cost,
        slots: hashingSlotsFor(config.passwords.threads),
      }),
    tokenPolicy: overrides.tokenPolicy ?? config.tokens,
    limits: overrides.limits ?? createRateLimits(config.rateLimits, handle),
  };
}
