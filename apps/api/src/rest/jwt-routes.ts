import { loginInput } from '../auth/inputs.ts';
import { limitedLogin } from '../auth/limited-login.ts';
import { jwtNotValid, noActiveAccount } from '../errors.ts';
import { isJwtValid, jwtIssuer, refreshJwt } from '../jwt/jwt-tokens.ts';
import { messages } from '../messages.ts';
import { jwtOf } from '../routers/jwt.ts';
import { open, type Route } from './operation.ts';
import { answers, bodies } from './schemas.ts';

const notValid = {
  401: {
    description: `Not a live token of this server: \`{"detail":"${messages.jwtInvalid}","code":"token_not_valid"}\`.`,
  },
  404: { description: 'JSON Web Tokens are not enabled on this server (no key configured).' },
};

/** simplejwt's views under Djoser's JWT paths, on the same functions as the `jwt` procedures. */
export const jwtRoutes: Route[] = [
  {
    path: '/api/v1/jwt/create/',
    methods: {
      POST: open({
        summary: 'Log in for a JWT pair',
        description:
          "simplejwt's TokenObtainPairView: a new session for this device, listed with the other sessions. Send the access token as `Authorization: Bearer <access>`; it lives 5 minutes by default, the refresh token a day.",
        body: bodies.obtainToken,
        limited: true,
        ignoresAuthorization: true,
        answers: {
          200: { description: 'A new pair.', schema: answers.jwtPair },
          401: {
            description: `Wrong credentials: \`{"detail":"${messages.noActiveAccount}"}\`.`,
          },
          404: notValid[404],
        },
        async handle({ ctx, body }) {
          const jwt = jwtOf(ctx);
          const input = loginInput.safeParse(body());
          const result = input.success ? await limitedLogin(ctx, input.data, jwtIssuer(jwt)) : null;
          if (!result) throw noActiveAccount();
          const { refresh, access } = result.token;
          return { status: 200, body: { refresh, access } };
        },
      }),
    },
  },
  {
    path: '/api/v1/jwt/refresh/',
    methods: {
      POST: open({
        summary: 'Refresh a JWT pair',
        description:
          "simplejwt's TokenRefreshView with ROTATE_REFRESH_TOKENS: a new access and refresh token; the refresh token sent stops working. Sending it again ends the session (reuse detection).",
        body: bodies.jwtRefresh,
        ignoresAuthorization: true,
        answers: { 200: { description: 'A new pair.', schema: answers.jwtRefreshed }, ...notValid },
        async handle({ ctx, body }) {
          const deps = { db: ctx.db, jwt: jwtOf(ctx), tokenPolicy: ctx.tokenPolicy };
          const pair = await refreshJwt(deps, body().refresh, ctx.now());
          if (!pair) throw jwtNotValid();
          return { status: 200, body: { access: pair.access, refresh: pair.refresh } };
        },
      }),
    },
  },
  {
    path: '/api/v1/jwt/verify/',
    methods: {
      POST: open({
        summary: 'Check a JWT',
        description:
          "simplejwt's TokenVerifyView: 200 `{}` if the token (access or refresh) would be accepted now.",
        body: bodies.jwtVerify,
        ignoresAuthorization: true,
        answers: { 200: { description: 'The token works.', schema: answers.empty }, ...notValid },
        async handle({ ctx, body }) {
          const deps = { jwt: jwtOf(ctx), tokenPolicy: ctx.tokenPolicy };
          if (!(await isJwtValid(deps, body().token, ctx.now()))) throw jwtNotValid();
          return { status: 200, body: {} };
        },
      }),
    },
  },
];
