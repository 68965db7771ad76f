import { type Database, isUniqueViolation, type User, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';

/** What clients may see of a user: never a hash. */
export type PublicUser = {
  id: string;
  username: string;
  email: string | null;
  /** Whether the owner followed the link mailed to `email`. */
  emailVerified: boolean;
  createdAt: string;
};

export function toPublicUser(
  user: Pick<User, 'id' | 'username' | 'email' | 'emailVerifiedAt' | 'createdAt'>,
): PublicUser {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

/**
 * The form a username is stored in (NFKC, as Django normalises usernames) and
 * the key uniqueness and login match on: the same, lower-cased
 * (docs/decisions/0003).
 */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC');
}

export function usernameKey(username: string): string {
  return normalizeUsername(username).toLowerCase();
}

/** True when a write failed because the username (ignoring case) is taken. */
export function isUsernameTaken(error: unknown): boolean {
  return isUniqueViolation(error, 'users_username_key_idx');
}

export async function findUserByUsername(
  db: Database,
  username: string,
): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.usernameKey, usernameKey(username)))
    .limit(1);
  return user;
}

export async function findUserById(db: Database, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

/** Inserts a user; throws a unique violation (see isUsernameTaken) if the name is taken. */
export async function insertUser(
  db: Database,
  values: { username: string; email: string | null; passwordHash: string; createdAt: Date },
): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ ...values, usernameKey: usernameKey(values.username) })
    .returning();
  if (!user) throw new Error('insert into users returned no row');
  return user;
}
