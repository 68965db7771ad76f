import { TRPCError } from '@trpc/server';
import { changePassword } from '../account/change-password.ts';
import { changeUsername } from '../account/change-username.ts';
import { deleteAccount } from '../account/delete-account.ts';
import { updateAccount } from '../account/update-account.ts';
import {
  changePasswordInput,
  changeUsernameInput,
  deleteAccountInput,
  updateAccountInput,
} from '../auth/inputs.ts';
import { usernameKey } from '../auth/user.ts';
import type { Context } from '../context.ts';
import { fieldError, messages, unauthorized } from '../errors.ts';
import { checkingPassword } from '../rate-limit.ts';
import { protectedProcedure, router } from '../trpc.ts';

const wrongPassword = () => fieldError('currentPassword', messages.wrongPassword);

/** Account changes check the current password under the same limits as login. */
function checkingCurrentPassword<T extends { ok: boolean; error?: string }>(
  ctx: { ip: string | undefined; user: { username: string }; limits: Context['limits'] },
  change: () => Promise<T>,
): Promise<T> {
  return checkingPassword(
    ctx.limits.passwordFailures,
    { ip: ctx.ip, username: usernameKey(ctx.user.username) },
    change,
    (result) => !result.ok && result.error === 'wrongPassword',
  );
}

export const accountRouter = router({
  changePassword: protectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const result = await checkingCurrentPassword(ctx, () =>
      changePassword(ctx.db, ctx.user.id, ctx.tokenId, input),
    );
    if (result.ok) return { revokedSessions: result.revokedSessions };
    if (result.error === 'weakPassword') throw fieldError('newPassword', ...result.problems);
    throw wrongPassword();
  }),

  changeUsername: protectedProcedure.input(changeUsernameInput).mutation(async ({ ctx, input }) => {
    const result = await checkingCurrentPassword(ctx, () =>
      changeUsername(ctx.db, ctx.user.id, input),
    );
    if (result.ok) return result.user;
    if (result.error === 'usernameTaken') {
      throw new TRPCError({ code: 'CONFLICT', message: messages.usernameTaken });
    }
    throw wrongPassword();
  }),

  update: protectedProcedure.input(updateAccountInput).mutation(async ({ ctx, input }) => {
    const user = await updateAccount(ctx.db, ctx.user.id, input);
    if (!user) throw unauthorized('invalidToken');
    return user;
  }),

  delete: protectedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    const result = await checkingCurrentPassword(ctx, () =>
      deleteAccount(ctx.db, ctx.user.id, input),
    );
    if (!result.ok) throw wrongPassword();
    return { success: true };
  }),
});
