import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { hashPassword } from '../auth/password.ts';
import { passwordSimilarityProblems } from '../auth/password-policy.ts';
import { revokeAllSessions } from '../auth/sessions.ts';
import { checkCurrentPassword } from './check-current-password.ts';

export type ChangePasswordResult =
  | { ok: true; revokedSessions: number }
  | { ok: false; error: 'wrongPassword' }
  | { ok: false; error: 'weakPassword'; problems: string[] };

/**
 * Sets a new password and, in the same transaction, revokes every other
 * session of the user: whoever knew the old password is logged out.
 */
export async function changePassword(
  db: Database,
  userId: string,
  currentTokenId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<ChangePasswordResult> {
  const user = await checkCurrentPassword(db, userId, input.currentPassword);
  if (!user) return { ok: false, error: 'wrongPassword' };
  const problems = passwordSimilarityProblems(input.newPassword, user);
  if (problems.length > 0) return { ok: false, error: 'weakPassword', problems };

  const passwordHash = await hashPassword(input.newPassword);
  const revokedSessions = await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    return revokeAllSessions(tx, userId, currentTokenId);
  });
  return { ok: true, revokedSessions };
}
