import { TRPCError } from '@trpc/server';
import { revokeSessionInput } from '../auth/inputs.ts';
import { listSessions, revokeSession } from '../auth/sessions.ts';
import { messages } from '../errors.ts';
import { protectedProcedure, router } from '../trpc.ts';

export const sessionsRouter = router({
  list: protectedProcedure.query(({ ctx }) =>
    listSessions(ctx.db, ctx.user.id, ctx.tokenId, ctx.now()),
  ),

  // Someone else's session id gets the same 404 as a made-up one.
  revoke: protectedProcedure.input(revokeSessionInput).mutation(async ({ ctx, input }) => {
    if (!(await revokeSession(ctx.db, ctx.user.id, input.id))) {
      throw new TRPCError({ code: 'NOT_FOUND', message: messages.sessionNotFound });
    }
    return { success: true };
  }),
});
