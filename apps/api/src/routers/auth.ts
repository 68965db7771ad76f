import { TRPCError } from '@trpc/server';
import { loginInput, signupInput } from '../auth/inputs.ts';
import { login } from '../auth/login.ts';
import { signup } from '../auth/signup.ts';
import { revokeToken } from '../auth/token.ts';
import { messages, unauthorized } from '../errors.ts';
import { protectedProcedure, publicProcedure, router } from '../trpc.ts';

export const authRouter = router({
  signup: publicProcedure.input(signupInput).mutation(async ({ ctx, input }) => {
    const result = await signup(ctx.db, input);
    if (!result.ok) throw new TRPCError({ code: 'CONFLICT', message: messages.usernameTaken });
    return { token: result.token, user: result.user };
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const result = await login(ctx.db, input);
    if (!result) throw new TRPCError({ code: 'BAD_REQUEST', message: messages.invalidCredentials });
    return result;
  }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    if (!(await revokeToken(ctx.db, ctx.tokenId))) throw unauthorized('invalidToken');
    return { success: true };
  }),

  me: protectedProcedure.query(({ ctx }) => ctx.user),
});
