import type { User } from '@tokenauth/db';

/** What clients may see of a user: never a hash. */
export type PublicUser = {
  id: string;
  username: string;
  email: string | null;
  createdAt: string;
};

export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    createdAt: user.createdAt.toISOString(),
  };
}

/**
 * The form a username is stored in (NFKC, as Django normalises usernames) and
 * the key uniqueness and login match on: the same, lower-cased.
 */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC');
}

export function usernameKey(username: string): string {
  return normalizeUsername(username).toLowerCase();
}
