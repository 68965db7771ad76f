import { TRPCError } from '@trpc/server';
import type { Inputs } from '../auth/inputs.ts';
import { limitedLogin } from '../auth/limited-login.ts';
import type { Context } from '../context.ts';
import { jwtNotValid, noActiveAccount, unauthorized } from '../errors.ts';
import {
  exchangeForJwt,
  isJwtValid,
  type JwtService,
  jwtIssuer,
  refreshJwt,
} from '../jwt/jwt-tokens.ts';
import { messages } from '../messages.ts';
import { protectedProcedure, publicProcedure, router } from '../trpc.ts';

/** The JWT service, or a 404 where no key is configured. */
export function jwtOf(ctx: Context): JwtService {
  if (!ctx.jwt) throw new TRPCError({ code: 'NOT_FOUND', message: messages.jwtOff });
  return ctx.jwt;
}

/** simplejwt's three views (README "JSON Web Tokens"), beside the opaque tokens of `auth`. */
export const jwtRouter = (inputs: Inputs) =>
  router({
    create: publicProcedure
      .meta({ summary: 'Log in for a JWT pair: a new session for this device' })
      .input(inputs.login)
      .mutation(async ({ ctx, input }) => {
        const result = await limitedLogin(ctx, input, jwtIssuer(jwtOf(ctx)));
        if (!result) throw noActiveAccount();
        return { ...result.token, user: result.user };
      }),
    refresh: publicProcedure
      .meta({ summary: 'A new pair for the current refresh token, which stops working' })
      .input(inputs.jwtRefresh)
      .mutation(async ({ ctx, input }) => {
        const pair = await refreshJwt(
          { db: ctx.db, jwt: jwtOf(ctx), tokenPolicy: ctx.tokenPolicy },
          input.refresh,
          ctx.now(),
        );
        if (!pair) throw jwtNotValid();
        return { access: pair.access, refresh: pair.refresh };
      }),
    exchange: protectedProcedure
      .meta({
        summary:
          'Turn the opaque token that made the request into a JWT pair for the same session (the token stops working)',
      })
      .mutation(async ({ ctx }) => {
        const pair = await exchangeForJwt({ db: ctx.db, jwt: jwtOf(ctx) }, ctx, ctx.now());
        if (!pair) throw unauthorized('invalidToken');
        return { refresh: pair.refresh, access: pair.access };
      }),
    verify: publicProcedure
      .meta({ summary: 'Whether a JWT would be accepted now' })
      .input(inputs.jwtVerify)
      .mutation(async ({ ctx, input }) => {
        const deps = { jwt: jwtOf(ctx), tokenPolicy: ctx.tokenPolicy };
        if (!(await isJwtValid(deps, input.token, ctx.now()))) throw jwtNotValid();
        return {};
      }),
  });
