import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import { confirmPassword } from './confirm-password.ts';

/** Deletes the user; their tokens go with them (ON DELETE CASCADE), in the same statement. */
export async function deleteAccount(
  deps: { db: Database; hasher: PasswordHasher; signal?: AbortSignal },
  userId: string,
  input: { currentPassword: string },
): Promise<{ ok: true } | { ok: false; error: 'wrongPassword' }> {
  if (!(await confirmPassword(deps, userId, input.currentPassword))) {
    return { ok: false, error: 'wrongPassword' };
  }
  await deps.db.delete(users).where(eq(users.id, userId));
  return { ok: true };
}
