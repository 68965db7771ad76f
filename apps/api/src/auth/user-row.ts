import { users } from '@tokenauth/db';

/**
 * The user's columns every token check reads (an opaque token's lookup, a
 * JWT's): what the procedures need, never the password hash, for a shorter
 * query and row on the path every protected call takes.
 */
export const userColumns = {
  id: users.id,
  username: users.username,
  email: users.email,
  emailVerifiedAt: users.emailVerifiedAt,
  userCreatedAt: users.createdAt,
};

/** Those columns as a prepared statement returns them (prepareRows: arrays, times as text or Dates). */
export type UserColumns = [string, string, string | null, string | Date | null, string | Date];

export type UserRow = {
  id: string;
  username: string;
  email: string | null;
  emailVerifiedAt: Date | null;
  createdAt: Date;
};

export const userOf = ([id, username, email, verifiedAt, createdAt]: UserColumns): UserRow => ({
  id,
  username,
  email,
  emailVerifiedAt: verifiedAt === null ? null : new Date(verifiedAt),
  createdAt: new Date(createdAt),
});
