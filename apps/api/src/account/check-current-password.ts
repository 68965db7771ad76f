import type { Database, User } from '@tokenauth/db';
import { passwordMatches } from '../auth/password.ts';
import { findUserById } from '../auth/user.ts';

/** The user, if `password` is their current one: the gate before any account change. */
export async function checkCurrentPassword(
  db: Database,
  userId: string,
  password: string,
): Promise<User | null> {
  const user = await findUserById(db, userId);
  return user && (await passwordMatches(password, user.passwordHash)) ? user : null;
}
