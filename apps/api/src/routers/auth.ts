import { TRPCError } from '@trpc/server';
import { loginInput, signupInput } from '../auth/inputs.ts';
import { login } from '../auth/login.ts';
import { passwordPolicy } from '../auth/password-policy.ts';
import { revokeAllSessions } from '../auth/sessions.ts';
import { signup } from '../auth/signup.ts';
import { revokeToken } from '../auth/token.ts';
import { usernameKey } from '../auth/user.ts';
import type { Context } from '../context.ts';
import { messages, unauthorized } from '../errors.ts';
import { checkingPassword } from '../rate-limit.ts';
import { protectedProcedure, publicProcedure, router } from '../trpc.ts';

/** Where a new token comes from, recorded with it. */
const originOf = (ctx: Context) => ({ userAgent: ctx.userAgent, ip: ctx.ip, now: ctx.now() });

export const authRouter = router({
  signup: publicProcedure.input(signupInput).mutation(async ({ ctx, input }) => {
    await ctx.limits.signups.consume({ ip: ctx.ip, username: usernameKey(input.username) });
    const result = await signup(ctx.db, input, originOf(ctx));
    if (!result.ok) throw new TRPCError({ code: 'CONFLICT', message: messages.usernameTaken });
    return { token: result.token, user: result.user };
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const result = await checkingPassword(
      ctx.limits.passwordFailures,
      { ip: ctx.ip, username: usernameKey(input.username) },
      () => login(ctx.db, input, originOf(ctx)),
      (result) => result === null,
    );
    if (!result) throw new TRPCError({ code: 'BAD_REQUEST', message: messages.invalidCredentials });
    return result;
  }),

  /** For forms' hints: the operator may change PASSWORD_MIN_LENGTH. */
  passwordPolicy: publicProcedure.query(() => passwordPolicy()),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    if (!(await revokeToken(ctx.db, ctx.tokenId))) throw unauthorized('invalidToken');
    return { success: true };
  }),

  logoutAll: protectedProcedure.mutation(async ({ ctx }) => {
    const revoked = await revokeAllSessions(ctx.db, ctx.user.id);
    return { revoked };
  }),

  me: protectedProcedure.query(({ ctx }) => ctx.user),
});
