import type { Database, User } from '@tokenauth/db';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import { findUserById } from '../auth/user.ts';

/** The user, if `password` is their current one: the gate before any account change. */
export async function confirmPassword(
  { db, hasher }: { db: Database; hasher: PasswordHasher },
  userId: string,
  password: string,
): Promise<User | null> {
  const user = await findUserById(db, userId);
  return user && (await hasher.matches(password, user.passwordHash)) ? user : null;
}
