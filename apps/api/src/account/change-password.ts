import { type Database, users } from '@tokenauth/db';
import { and, eq } from 'drizzle-orm';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import { passwordProblems } from '../auth/password-policy.ts';
import { revokeAllTokens } from '../auth/tokens.ts';
import { confirmPassword } from './confirm-password.ts';

export type ChangePasswordResult =
  | { ok: true; revokedTokens: number }
  | { ok: false; error: 'wrongPassword' }
  | { ok: false; error: 'weakPassword'; problems: string[] };

/**
 * Checks the current password first, then the new one against the whole
 * policy, as Djoser's set_password does. Sets the new password and, in the
 * same transaction, revokes every other token of the user: whoever knew the
 * old password is logged out. The new
 * password is written only over the hash that was checked, so of two changes
 * racing, the second finds its current password wrong, as it now is.
 */
export async function changePassword(
  deps: { db: Database; hasher: PasswordHasher; signal?: AbortSignal },
  userId: string,
  currentTokenId: string,
  input: { currentPassword: string; newPassword: string },
  passwordMinLength: number,
): Promise<ChangePasswordResult> {
  const user = await confirmPassword(deps, userId, input.currentPassword);
  if (!user) return { ok: false, error: 'wrongPassword' };
  const problems = passwordProblems(input.newPassword, passwordMinLength, user);
  if (problems.length > 0) return { ok: false, error: 'weakPassword', problems };
  const passwordHash = await deps.hasher.hash(input.newPassword, deps.signal);
  const revokedTokens = await deps.db.transaction(async (tx) => {
    const changed = await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, userId), eq(users.passwordHash, user.passwordHash)))
      .returning({ id: users.id });
    return changed.length === 0 ? null : revokeAllTokens(tx, userId, currentTokenId);
  });
  if (revokedTokens === null) return { ok: false, error: 'wrongPassword' };
  return { ok: true, revokedTokens };
}
