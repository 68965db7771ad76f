import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { checkCurrentPassword } from './check-current-password.ts';

/** Deletes the user; their tokens go with them (ON DELETE CASCADE), in the same statement. */
export async function deleteAccount(
  db: Database,
  userId: string,
  input: { currentPassword: string },
): Promise<{ ok: true } | { ok: false; error: 'wrongPassword' }> {
  if (!(await checkCurrentPassword(db, userId, input.currentPassword))) {
    return { ok: false, error: 'wrongPassword' };
  }
  await db.delete(users).where(eq(users.id, userId));
  return { ok: true };
}
