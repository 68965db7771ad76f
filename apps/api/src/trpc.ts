import { isConnectionError } from '@tokenauth/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { authenticate, refusalOf } from './auth/authenticate.ts';
import { ClientGone } from './auth/hashing-slots.ts';
import type { Context } from './context.ts';
import { messages } from './messages.ts';
import { validationErrorsOf } from './validation-errors.ts';

/** What the OpenAPI document says of a procedure (rest/openapi.ts). */
export type ProcedureMeta = { summary: string; needsToken?: boolean };

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
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
export const createCallerFactory = t.createCallerFactory;

/**
 * The root config, which `getTRPCErrorShape` takes to shape an error as the
 * router would (ADR 0004). tRPC marks the field internal; its own adapters
 * read the same object as `router._def._config`.
 */
export const trpcConfig = t._config;

/**
 * Contexts that reached a procedure's first middleware: tRPC found a
 * procedure of the requested type at the path. The tRPC face hands the rest
 * (an unknown path, a query sent as POST) to tRPC's adapter, which words them.
 */
const reached = new WeakSet<Context>();
export const reachedProcedure = (ctx: Context): boolean => reached.has(ctx);

/**
 * Errors that are not bugs: a database that cannot be reached is the
 * server's trouble (503, not 500); a check skipped because the client left
 * is answered to nobody (499).
 */
function unavailable(cause: unknown): TRPCError | undefined {
  if (cause instanceof ClientGone) {
    return new TRPCError({ code: 'CLIENT_CLOSED_REQUEST', message: messages.clientGone, cause });
  }
  return isConnectionError(cause)
    ? new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: messages.databaseUnavailable, cause })
    : undefined;
}

export const publicProcedure = t.procedure.use(async ({ ctx, next }) => {
  reached.add(ctx);
  const result = await next();
  if (!result.ok) throw unavailable(result.error.cause) ?? result.error;
  return result;
});

/**
 * Resolves the Authorization header to a user and token, or answers 401.
 * One middleware rather than one more on top of publicProcedure's: each
 * level of tRPC's chain copies the call's options and context.
 */
export const protectedProcedure = t.procedure
  .meta({ summary: '', needsToken: true })
  .use(async ({ ctx, next }) => {
    reached.add(ctx);
    const verified = await authenticate(ctx).catch((cause: unknown) => {
      throw unavailable(cause) ?? cause;
    });
    if (!verified.ok) throw refusalOf(verified);
    const result = await next({
      ctx: { user: verified.auth.user, tokenId: verified.auth.tokenId },
    });
    if (!result.ok) throw unavailable(result.error.cause) ?? result.error;
    return result;
  });
