import { TRPCError } from '@trpc/server';
import { changePassword } from '../account/change-password.ts';
import { changeUsername } from '../account/change-username.ts';
import { deleteAccount } from '../account/delete-account.ts';
import { updateAccount } from '../account/update-account.ts';
import type { Inputs } from '../auth/inputs.ts';
import type { PublicUser } from '../auth/user.ts';
import { usernameKey } from '../auth/user.ts';
import type { Context } from '../context.ts';
import { fieldError, unauthorized } from '../errors.ts';
import { messages } from '../messages.ts';
import { limitPasswordGuesses } from '../rate-limit.ts';
import { protectedProcedure, router } from '../trpc.ts';

const wrongPassword = () => fieldError('currentPassword', messages.wrongPassword);

/**
 * Runs an account change that asks for the current password, under the
 * wrong-password limits. The caller holds one of the user's tokens and is
 * counted by it, apart from strangers at the login: their guesses must not
 * stop the owner from changing a password under attack, nor a token's
 * guesses lock the owner out (a stolen token gets 10, wherever it is used).
 */
function guardedChange<T extends { ok: boolean; error?: string }>(
  ctx: Context & { user: PublicUser; tokenId: string },
  change: () => Promise<T>,
): Promise<T> {
  return limitPasswordGuesses(
    ctx.limits.passwordFailures,
    { ip: ctx.ip, username: usernameKey(ctx.user.username), apart: `token ${ctx.tokenId}` },
    change,
    (result) => !result.ok && result.error === 'wrongPassword',
  );
}

export const accountRouter = (inputs: Inputs) =>
  router({
    changePassword: protectedProcedure
      .input(inputs.changePassword)
      .mutation(async ({ ctx, input }) => {
        const result = await guardedChange(ctx, () =>
          changePassword(ctx, ctx.user.id, ctx.tokenId, input),
        );
        if (result.ok) return { revokedTokens: result.revokedTokens };
        if (result.error === 'weakPassword') throw fieldError('newPassword', ...result.problems);
        throw wrongPassword();
      }),
    changeUsername: protectedProcedure
      .input(inputs.changeUsername)
      .mutation(async ({ ctx, input }) => {
        // Each rename tries a name, as a signup does: counted alike, so that
        // a logged-in user cannot test which names are taken any faster.
        await ctx.limits.signups.consume({ ip: ctx.ip, username: usernameKey(input.newUsername) });
        const result = await guardedChange(ctx, () => changeUsername(ctx, ctx.user.id, input));
        if (result.ok) return result.user;
        if (result.error === 'usernameTaken') {
          throw new TRPCError({ code: 'CONFLICT', message: messages.usernameTaken });
        }
        throw wrongPassword();
      }),
    update: protectedProcedure.input(inputs.updateAccount).mutation(async ({ ctx, input }) => {
      const user = await updateAccount(ctx.db, ctx.user.id, input);
      if (!user) throw unauthorized('invalidToken');
      return user;
    }),
    delete: protectedProcedure.input(inputs.deleteAccount).mutation(async ({ ctx, input }) => {
      const result = await guardedChange(ctx, () => deleteAccount(ctx, ctx.user.id, input));
      if (!result.ok) throw wrongPassword();
      return { success: true };
    }),
  });
