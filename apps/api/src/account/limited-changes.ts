import { usernameKey } from '../auth/user.ts';
import type { Authenticated } from '../auth/verify-token.ts';
import type { Context } from '../context.ts';
import { limitPasswordGuesses } from '../rate-limit.ts';
import { changePassword } from './change-password.ts';
import { changeUsername } from './change-username.ts';
import { deleteAccount } from './delete-account.ts';

/**
 * The account changes that ask for the current password, as every face
 * makes them: under the wrong-password limits. The caller holds one of the
 * user's tokens and is counted by it, apart from strangers at the login:
 * their guesses must not stop the owner from changing a password under
 * attack, nor a token's guesses lock the owner out (a stolen token gets the
 * same few guesses, wherever it is used).
 */
function guarded<T extends { ok: boolean; error?: string }>(
  ctx: Context,
  auth: Authenticated,
  change: () => Promise<T>,
): Promise<T> {
  return limitPasswordGuesses(
    ctx.limits.passwordFailures,
    { ip: ctx.ip, username: usernameKey(auth.user.username), apart: `token ${auth.tokenId}` },
    change,
    (result) => !result.ok && result.error === 'wrongPassword',
  );
}

export const limitedChangePassword = (
  ctx: Context,
  auth: Authenticated,
  input: { currentPassword: string; newPassword: string },
  passwordMinLength: number,
) =>
  guarded(ctx, auth, () =>
    changePassword(ctx, auth.user.id, auth.tokenId, input, passwordMinLength),
  );

export async function limitedChangeUsername(
  ctx: Context,
  auth: Authenticated,
  input: { currentPassword: string; newUsername: string },
) {
  // Each rename tries a name, as a signup does: counted alike, so that a
  // logged-in user cannot test which names are taken any faster.
  await ctx.limits.signups.consume({ ip: ctx.ip, username: usernameKey(input.newUsername) });
  return guarded(ctx, auth, () => changeUsername(ctx, auth.user.id, input));
}

export const limitedDeleteAccount = (
  ctx: Context,
  auth: Authenticated,
  input: { currentPassword: string },
) => guarded(ctx, auth, () => deleteAccount(ctx, auth.user.id, input));
