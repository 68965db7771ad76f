import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import { isUsernameTaken, type PublicUser, toPublicUser, usernameKey } from '../auth/user.ts';
import { confirmPassword } from './confirm-password.ts';

/** Renames the user; the unique index refuses a name taken in any case. */
export async function changeUsername(
  deps: { db: Database; hasher: PasswordHasher; signal?: AbortSignal },
  userId: string,
  input: { currentPassword: string; newUsername: string },
): Promise<
  { ok: true; user: PublicUser } | { ok: false; error: 'wrongPassword' | 'usernameTaken' }
> {
  if (!(await confirmPassword(deps, userId, input.currentPassword))) {
    return { ok: false, error: 'wrongPassword' };
  }
  try {
    const [user] = await deps.db
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
