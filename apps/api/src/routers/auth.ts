import { TRPCError } from '@trpc/server';
import type { Inputs } from '../auth/inputs.ts';
import { limitedLogin } from '../auth/limited-login.ts';
import { limitedSignup } from '../auth/limited-signup.ts';
import type { PasswordPolicy } from '../auth/password-policy.ts';
import { logout, revokeAllTokens } from '../auth/tokens.ts';
import { messages } from '../messages.ts';
import { protectedProcedure, publicProcedure, router } from '../trpc.ts';

export const authRouter = (inputs: Inputs, policy: PasswordPolicy & { emailRequired: boolean }) =>
  router({
    signup: publicProcedure
      .meta({ summary: 'Create an account, and a token for this device' })
      .input(inputs.signup)
      .mutation(async ({ ctx, input }) => {
        const result = await limitedSignup(ctx, input, true);
        if (!result.ok) throw new TRPCError({ code: 'CONFLICT', message: messages.usernameTaken });
        return { token: result.token, user: result.user };
      }),
    login: publicProcedure
      .meta({ summary: 'A new token for this device' })
      .input(inputs.login)
      .mutation(async ({ ctx, input }) => {
        const result = await limitedLogin(ctx, input);
        if (!result) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: messages.invalidCredentials });
        }
        return result;
      }),
    /** For forms' hints: the operator may change PASSWORD_MIN_LENGTH and REQUIRE_EMAIL_VERIFICATION. */
    passwordPolicy: publicProcedure
      .meta({
        summary:
          'What a signup form can check before sending: the password rules, and whether an email is required',
      })
      .query(() => policy),
    logout: protectedProcedure
      .meta({ summary: 'Revoke the token that made the request' })
      .mutation(async ({ ctx }) => {
        await logout(ctx.db, ctx);
        return { success: true };
      }),
    logoutAll: protectedProcedure
      .meta({ summary: 'Revoke every token of the user' })
      .mutation(async ({ ctx }) => {
        const revoked = await revokeAllTokens(ctx.db, ctx.user.id);
        return { revoked };
      }),
    me: protectedProcedure.meta({ summary: 'The signed-in user' }).query(({ ctx }) => ctx.user),
  });
