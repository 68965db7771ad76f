import { TRPCError } from '@trpc/server';
import { sendLink } from '../account/email-links.ts';
import { requestRecovery, resetPassword, resetUsername, verifyEmail } from '../account/recovery.ts';
import type { Inputs } from '../auth/inputs.ts';
import { findUserById } from '../auth/user.ts';
import { fieldError } from '../errors.ts';
import { messages } from '../messages.ts';
import { protectedProcedure, publicProcedure, router } from '../trpc.ts';

const invalidLink = () => new TRPCError({ code: 'BAD_REQUEST', message: messages.invalidLink });

/** Email verification, forgotten passwords and usernames: the links mailed to the user. */
export const recoveryRouter = (inputs: Inputs, passwordMinLength: number) =>
  router({
    requestPasswordReset: publicProcedure
      .meta({ summary: 'Mail a reset link to the account with this verified email or username' })
      .input(inputs.requestPasswordReset)
      .mutation(async ({ ctx, input }) => {
        await requestRecovery(ctx, 'reset_password', input.login);
        return { success: true };
      }),
    resetPassword: publicProcedure
      .meta({
        summary: "Set a new password from a reset link; every session ends, and here's a new token",
      })
      .input(inputs.resetPassword)
      .mutation(async ({ ctx, input }) => {
        const result = await resetPassword(ctx, input, input.newPassword, passwordMinLength);
        if (result.ok) return { token: result.token, user: result.user };
        if (result.error === 'weakPassword') throw fieldError('newPassword', ...result.problems);
        throw invalidLink();
      }),
    requestUsernameReminder: publicProcedure
      .meta({ summary: 'Mail the usernames of the accounts with this verified email' })
      .input(inputs.requestUsernameReminder)
      .mutation(async ({ ctx, input }) => {
        await requestRecovery(ctx, 'reset_username', input.email);
        return { success: true };
      }),
    resetUsername: publicProcedure
      .meta({ summary: 'Set a new username from the link of a username reminder' })
      .input(inputs.resetUsername)
      .mutation(async ({ ctx, input }) => {
        const result = await resetUsername(ctx, input, input.newUsername);
        if (result.ok) return result.user;
        if (result.error === 'usernameTaken')
          throw fieldError('newUsername', messages.usernameTaken);
        throw invalidLink();
      }),
    verifyEmail: publicProcedure
      .meta({ summary: 'Confirm an email address from its verification link' })
      .input(inputs.verifyEmail)
      .mutation(async ({ ctx, input }) => {
        const result = await verifyEmail(ctx, input);
        if (result.ok) return result.user;
        if (result.error === 'alreadyVerified') {
          throw new TRPCError({ code: 'BAD_REQUEST', message: messages.emailAlreadyVerified });
        }
        throw invalidLink();
      }),
    requestVerification: publicProcedure
      .meta({
        summary:
          'Mail a new verification link to this unconfirmed address (for activation mode, where its owner cannot log in)',
      })
      .input(inputs.requestUsernameReminder)
      .mutation(async ({ ctx, input }) => {
        await requestRecovery(ctx, 'verify_email', input.email);
        return { success: true };
      }),
    resendVerification: protectedProcedure
      .meta({ summary: 'Mail a new verification link to your unverified address' })
      .mutation(async ({ ctx }) => {
        const user = await findUserById(ctx.db, ctx.user.id);
        if (!user?.email) throw new TRPCError({ code: 'BAD_REQUEST', message: messages.noEmail });
        if (user.emailVerifiedAt) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: messages.emailAlreadyVerified });
        }
        await ctx.limits.recoveries.consume({
          ip: ctx.ip,
          username: `verify_email ${user.email.toLowerCase()}`,
        });
        await sendLink(ctx, user, 'verify_email', ctx.now());
        return { success: true };
      }),
  });
