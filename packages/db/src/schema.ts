import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** As the user typed it (NFKC-normalised), shown back to them. */
    username: text('username').notNull(),
    /**
     * The lower-cased username that uniqueness and login match on. Computed in
     * the application, not with SQL lower(), so PGlite and PostgreSQL agree
     * whatever their collation.
     */
    usernameKey: text('username_key').notNull(),
    email: text('email'),
    /** When the user proved `email` is theirs (a verification link); null until then, and after a change. */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    passwordHash: text('password_hash').notNull(),
    /**
     * Bumped whenever every token of the user must die (password change,
     * "log out everywhere"): a token works only while its `generation` is
     * this, so a login that checked the old password and issues its token
     * after the change issues a dead one.
     */
    tokenGeneration: integer('token_generation').notNull().default(0),
    /**
     * False for a user who may not log in and whose tokens do not work, as
     * Django's `is_active` (imported from Django: README "Coming from Django").
     */
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_key_idx').on(t.usernameKey),
    // "Forgot password" finds accounts by address, in any case.
    index('users_email_lower_idx').on(sql`lower(${t.email})`),
  ],
);

export const tokens = pgTable(
  'tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Hex SHA-256 of the token; the token itself is never stored. */
    keyHash: text('key_hash').notNull(),
    /** The user's `tokenGeneration` when the token was issued. */
    generation: integer('generation').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Updated at most once per touch interval, so checking a token stays a read. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    /** The User-Agent and IP address of the login that issued the token. */
    userAgent: text('user_agent'),
    ip: text('ip'),
    /**
     * `token`: an opaque token, `key_hash` the hash of its key. `jwt`: a JWT
     * session, `key_hash` the hash of its current refresh token's id (README
     * "JSON Web Tokens"); its last-used time is its last refresh.
     */
    kind: text('kind').notNull().default('token'),
  },
  (t) => [
    uniqueIndex('tokens_key_hash_idx').on(t.keyHash),
    index('tokens_user_id_idx').on(t.userId),
    // Purging expired tokens scans these instead of the whole table.
    index('tokens_last_used_at_idx').on(t.lastUsedAt),
    index('tokens_created_at_idx').on(t.createdAt),
  ],
);

/**
 * Networks (an IPv4 address, an IPv6 /64) a user logged in from: a client
 * there is counted apart from strangers when guessing passwords, so that
 * strangers cannot lock the owner out (README "Rate limits").
 */
export const knownNetworks = pgTable(
  'known_networks',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    network: text('network').notNull(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.network] }),
    index('known_networks_last_login_at_idx').on(t.lastLoginAt),
  ],
);

/**
 * The secrets of emailed links (verify an address, reset a password or a
 * username): single use, bound to a purpose, a user and the address the link
 * went to, and expiring. Only a hash of each is stored.
 */
export const oneTimeTokens = pgTable(
  'one_time_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    /** Hex SHA-256 of the token in the link. */
    keyHash: text('key_hash').notNull(),
    /** The address the link went to: a token for another address than the user's is dead. */
    email: text('email').notNull(),
    /** A fingerprint of the password hash when issued: a token from before a password change is dead. */
    passwordStamp: text('password_stamp').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('one_time_tokens_key_hash_idx').on(t.keyHash),
    index('one_time_tokens_user_purpose_idx').on(t.userId, t.purpose),
    index('one_time_tokens_expires_at_idx').on(t.expiresAt),
  ],
);

/**
 * Mail to send, sent by the API in the background and retried with backoff;
 * without SMTP, the dev outbox (status `kept`). A sent message's body is
 * erased: the links in it are secrets.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text'),
    html: text('html'),
    /** `pending`, `sending`, `sent`, `failed` (gave up), or `kept` (the dev outbox). */
    status: text('status').notNull(),
    /** Attempts started: counted as each begins, so one its process died in counts too. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('mail_outbox_status_next_attempt_idx').on(t.status, t.nextAttemptAt),
    // The purge of old mail walks it in order (purgeMail).
    index('mail_outbox_created_at_idx').on(t.createdAt),
  ],
);

/**
 * What an imported user was in Django and has no other place here: the
 * Django id that a re-run of the import matches on, the flags and names
 * this stack has no use for, and the DRF token last imported (so a token
 * revoked here is not brought back by a re-run). The row outlives the
 * account: `user_id` null means deleted here, which a re-run respects.
 */
export const djangoUsers = pgTable('django_users', {
  djangoId: bigint('django_id', { mode: 'number' }).primaryKey(),
  userId: uuid('user_id')
    .unique()
    .references(() => users.id, { onDelete: 'set null' }),
  isStaff: boolean('is_staff').notNull(),
  isSuperuser: boolean('is_superuser').notNull(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  lastLogin: timestamp('last_login', { withTimezone: true }),
  /** Hex SHA-256 of the DRF token imported last, if any. */
  tokenKeyHash: text('token_key_hash'),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Counters of rate-limiter-flexible's PostgreSQL store, in the layout it
 * expects, so that every API process shares the same limits.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: varchar('key', { length: 255 }).primaryKey(),
    points: integer('points').notNull().default(0),
    /** Milliseconds since the epoch. */
    expire: bigint('expire', { mode: 'number' }),
  },
  // The hourly purge walks ended windows in order (purge-expired.ts), however many a flood left.
  (t) => [index('rate_limits_expire_idx').on(t.expire)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Token = typeof tokens.$inferSelect;
export type OneTimeToken = typeof oneTimeTokens.$inferSelect;
export type Mail = typeof mailOutbox.$inferSelect;
export type DjangoUser = typeof djangoUsers.$inferSelect;
