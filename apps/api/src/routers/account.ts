import { TRPCError } from '@trpc/server';
import {
  limitedChangePassword,
  limitedChangeUsername,
  limitedDeleteAccount,
} from '../account/limited-changes.ts';
import { updateAccount } from '../account/update-account.ts';
import type { Inputs } from '../auth/inputs.ts';
import { fieldError } from '../errors.ts';
import { messages } from '../messages.ts';
import { protectedProcedure, router } from '../trpc.ts';

const wrongPassword = () => fieldError('currentPassword', messages.wrongPassword);

// A protected procedure's context is also the Authenticated (user, tokenId) the changes take.
export const accountRouter = (inputs: Inputs, passwordMinLength: number) =>
  router({
    changePassword: protectedProcedure
      .meta({ summary: 'Change the password; every other token of the user is revoked' })
      .input(inputs.changePassword)
      .mutation(async ({ ctx, input }) => {
        const result = await limitedChangePassword(ctx, ctx, input, passwordMinLength);
        if (result.ok) return { revokedTokens: result.revokedTokens };
        if (result.error === 'weakPassword') throw fieldError('newPassword', ...result.problems);
        throw wrongPassword();
      }),
    changeUsername: protectedProcedure
      .meta({ summary: 'Change the username (unique ignoring case)' })
      .input(inputs.changeUsername)
      .mutation(async ({ ctx, input }) => {
        const result = await limitedChangeUsername(ctx, ctx, input);
        if (result.ok) return result.user;
        if (result.error === 'usernameTaken') {
          throw new TRPCError({ code: 'CONFLICT', message: messages.usernameTaken });
        }
        throw wrongPassword();
      }),
    update: protectedProcedure
      .meta({ summary: 'Set or clear the email' })
      .input(inputs.updateAccount)
      .mutation(({ ctx, input }) => updateAccount(ctx, ctx.user.id, input)),
    delete: protectedProcedure
      .meta({ summary: 'Delete the account and all its tokens' })
      .input(inputs.deleteAccount)
      .mutation(async ({ ctx, input }) => {
        const result = await limitedDeleteAccount(ctx, ctx, input);
        if (!result.ok) throw wrongPassword();
        return { success: true };
      }),
  });
