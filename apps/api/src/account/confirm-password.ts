import type { Database, User } from '@tokenauth/db';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import { findUserById } from '../auth/user.ts';

/** The user, if `password` is their current one: the gate before any account change. */
export async function confirmPassword(
  { db, hasher, signal }: { db: Database; hasher: PasswordHasher; signal?: AbortSignal },
  userId: string,
  password: string,
): Promise<User | null> {
  const user = await findUserById(db, userId);
  return user && (await hasher.matches(password, user.passwordHash, signal)) ? user : null;
}
