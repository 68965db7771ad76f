import type { Database } from '@tokenauth/db';
import { passwordMatches } from '../auth/password.ts';
import { findUserById } from '../auth/user.ts';

/** Whether `password` is the user's current one: the gate before any account change. */
export async function checkCurrentPassword(
  db: Database,
  userId: string,
  password: string,
): Promise<boolean> {
  const user = await findUserById(db, userId);
  return user ? passwordMatches(password, user.passwordHash) : false;
}
