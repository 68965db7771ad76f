import { TRPCError } from '@trpc/server';
import type { Inputs } from '../auth/inputs.ts';
import { rememberNetwork } from '../auth/known-networks.ts';
import { limitedLogin } from '../auth/limited-login.ts';
import type { PasswordPolicy } from '../auth/password-policy.ts';
import { signup } from '../auth/signup.ts';
import { revokeAllTokens, revokeToken } from '../auth/tokens.ts';
import { usernameKey } from '../auth/user.ts';
import type { Context } from '../context.ts';
import { unauthorized } from '../errors.ts';
import { messages } from '../messages.ts';
import { protectedProcedure, publicProcedure, router } from '../trpc.ts';

/** Where a new token comes from, recorded with it. */
const originOf = (ctx: Context) => ({ userAgent: ctx.userAgent, ip: ctx.ip, now: ctx.now() });

export const authRouter = (inputs: Inputs, policy: PasswordPolicy) =>
  router({
    signup: publicProcedure.input(inputs.signup).mutation(async ({ ctx, input }) => {
      await ctx.limits.signups.consume({ ip: ctx.ip, username: usernameKey(input.username) });
      const result = await signup(ctx, input, originOf(ctx));
      if (!result.ok) throw new TRPCError({ code: 'CONFLICT', message: messages.usernameTaken });
      if (ctx.ip !== undefined) {
        await rememberNetwork(ctx.db, result.user.id, ctx.limits.networkOf(ctx.ip), ctx.now());
      }
      return { token: result.token, user: result.user };
    }),
    login: publicProcedure.input(inputs.login).mutation(async ({ ctx, input }) => {
      const result = await limitedLogin(ctx, input);
      if (!result) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: messages.invalidCredentials });
      }
      return result;
    }),
    /** For forms' hints: the operator may change PASSWORD_MIN_LENGTH. */
    passwordPolicy: publicProcedure.query(() => policy),
    logout: protectedProcedure.mutation(async ({ ctx }) => {
      if (!(await revokeToken(ctx.db, ctx.user.id, ctx.tokenId))) {
        throw unauthorized('invalidToken');
      }
      return { success: true };
    }),
    logoutAll: protectedProcedure.mutation(async ({ ctx }) => {
      const revoked = await revokeAllTokens(ctx.db, ctx.user.id);
      return { revoked };
    }),
    me: protectedProcedure.query(({ ctx }) => ctx.user),
  });
