import type { Database, Db } from '@tokenauth/db';
import pino, { type Logger } from 'pino';
import { hashingSlotsFor } from './auth/hashing-slots.ts';
import { createPasswordHasher, type PasswordHasher } from './auth/password-hasher.ts';
import { createTokenLookup, type TokenLookup } from './auth/verify-token.ts';
import type { Config, MailConfig, TokenPolicy } from './config.ts';
import { checkedTokens, type JwtService } from './jwt/jwt-tokens.ts';
import { createJwtLookups } from './jwt/lookups.ts';
import { createOutbox, type Outbox } from './mail/outbox.ts';
import { createRateLimits, type RateLimits } from './rate-limit.ts';

/** Mail: the outbox messages go through, and what links are made of. */
export type MailService = { outbox: Outbox; config: MailConfig; log: Logger };

/** What procedures and the CLI work with, built once per process from the config. */
export type Services = {
  db: Database;
  findToken: TokenLookup;
  hasher: PasswordHasher;
  tokenPolicy: TokenPolicy;
  limits: RateLimits;
  mail: MailService;
  /** JSON Web Tokens: off (undefined) without a key (config.ts). */
  jwt: JwtService | undefined;
};

export function createServices(
  handle: Db,
  config: Pick<Config, 'tokens' | 'passwords' | 'rateLimits' | 'mail' | 'jwt'>,
  overrides: Partial<Services> = {},
  /** Where the outbox says what it sends (or keeps). */
  log: Logger = pino({ level: 'silent' }),
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
    mail: overrides.mail ?? {
      outbox: createOutbox({
        db: handle.db,
        smtpUrl: config.mail.smtpUrl,
        from: config.mail.from,
        log,
      }),
      config: config.mail,
      log,
    },
    jwt: config.jwt && {
      ...config.jwt,
      lookups: createJwtLookups(handle),
      checked: checkedTokens(),
    },
  };
}
