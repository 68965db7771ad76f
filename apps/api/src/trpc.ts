import { initTRPC } from '@trpc/server';
import { parseAuthorizationHeader } from './auth/header.ts';
import { verifyToken } from './auth/token.ts';
import type { Context } from './context.ts';
import { messages, unauthorized, validationErrorsOf } from './errors.ts';

const t = initTRPC.context<Context>().create({
  // Never send stack traces, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const zodError = validationErrorsOf(error);
    let message = shape.message;
    if (zodError) {
      const all = [...zodError.formErrors, ...Object.values(zodError.fieldErrors).flat()];
      message = [...new Set(all)].join(' ') || messages.invalidInput;
    } else if (error.cause instanceof SyntaxError) {
      message = messages.malformedJson;
    } else if (error.code === 'INTERNAL_SERVER_ERROR') {
      // The cause (a driver error, a bug) is logged, not shown.
      message = messages.internal;
    }
    return { ...shape, message, data: { ...shape.data, zodError } };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;

/** Resolves the Authorization header to a user and token, or answers 401. */
export const protectedProcedure = t.procedure.use(async ({ ctx, next }) => {
  const header = parseAuthorizationHeader(ctx.authorization);
  if (!header.ok) throw unauthorized(header.error);
  const result = await verifyToken(ctx.db, header.key, ctx.now());
  if (!result.ok) throw unauthorized(result.expired ? 'tokenExpired' : 'invalidToken');
  return next({ ctx: { user: result.auth.user, tokenId: result.auth.tokenId } });
});
