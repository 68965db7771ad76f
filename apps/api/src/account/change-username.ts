import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { isUsernameTaken, type PublicUser, toPublicUser, usernameKey } from '../auth/user.ts';
import { checkCurrentPassword } from './check-current-password.ts';

/** Renames the user; the unique index refuses a name taken in any case. */
export async function changeUsername(
  db: Database,
  userId: string,
  input: { currentPassword: string; newUsername: string },
): Promise<
  { ok: true; user: PublicUser } | { ok: false; error: 'wrongPassword' | 'usernameTaken' }
> {
  if (!(await checkCurrentPassword(db, userId, input.currentPassword))) {
    return { ok: false, error: 'wrongPassword' };
  }
  try {
    const [user] = await db
      .update(users)
      .set({ username: input.newUsername, usernameKey: usernameKey(input.newUsername) })
      .where(eq(users.id, userId))
      .returning();
    if (!user) return { ok: false, error: 'wrongPassword' };
    return { ok: true, user: toPublicUser(user) };
  } catch (error) {
    if (isUsernameTaken(error)) return { ok: false, error: 'usernameTaken' };
    throw error;
  }
}
