import { TRPCError } from '@trpc/server';
import type { Inputs } from '../auth/inputs.ts';
import { listTokens, revokeToken } from '../auth/tokens.ts';
import { messages } from '../messages.ts';
import { protectedProcedure, router } from '../trpc.ts';

/** The user's tokens, one per device that logged in. */
export const tokensRouter = (inputs: Inputs) =>
  router({
    list: protectedProcedure
      .meta({ summary: "The user's tokens, one per device" })
      .query(({ ctx }) => listTokens(ctx.db, ctx.tokenPolicy, ctx.user.id, ctx.tokenId, ctx.now())),
    // Someone else's token id gets the same 404 as a made-up one.
    revoke: protectedProcedure
      .meta({ summary: "Revoke one of the user's tokens" })
      .input(inputs.revokeToken)
      .mutation(async ({ ctx, input }) => {
        if (!(await revokeToken(ctx.db, ctx.user.id, input.id))) {
          throw new TRPCError({ code: 'NOT_FOUND', message: messages.tokenNotFound });
        }
        return { success: true };
      }),
  });
