import { loginInput } from '../auth/inputs.ts';
import { limitedLogin } from '../auth/limited-login.ts';
import { logout } from '../auth/tokens.ts';
import type { Context } from '../context.ts';
import { messages } from '../messages.ts';
import { fieldErrors, open, type RestAnswer, type Route, withToken } from './operation.ts';
import { answers, bodies } from './schemas.ts';

const invalidCredentials = fieldErrors({ non_field_errors: [messages.invalidCredentials] });

/** A login through the same limits and function as tRPC's auth.login; null for no token. */
async function login(ctx: Context, fields: { username?: string; password?: string }) {
  const input = loginInput.safeParse(fields);
  return input.success ? limitedLogin(ctx, input.data) : null;
}

const loginAnswers = (key: 'auth_token' | 'token') => ({
  200: {
    description: 'A new token for this device.',
    schema: key === 'token' ? answers.token : answers.authToken,
  },
  400: {
    description: `Wrong credentials: \`{"non_field_errors":["${messages.invalidCredentials}"]}\`.`,
  },
});

/** DRF's `obtain_auth_token`, where the seeds mount it: `{"token"}`, both fields required. */
const obtainToken = open({
  summary: "Log in, DRF's way",
  description:
    'DRF\'s `obtain_auth_token`: like `token/login/`, but answers `{"token"}` and requires both fields.',
  body: bodies.obtainToken,
  limited: true,
  answers: loginAnswers('token'),
  async handle({ ctx, body }): Promise<RestAnswer> {
    const result = await login(ctx, body());
    return result ? { status: 200, body: { token: result.token } } : invalidCredentials;
  },
});

export const tokenRoutes: Route[] = [
  {
    path: '/api/v1/token/login/',
    methods: {
      POST: open({
        summary: 'Log in',
        description:
          'A new token for this device at each login (Djoser gives the same token again). Both fields are optional, as in Djoser: a missing one is a failed login.',
        body: bodies.tokenLogin,
        limited: true,
        answers: loginAnswers('auth_token'),
        async handle({ ctx, body }) {
          const result = await login(ctx, body());
          return result ? { status: 200, body: { auth_token: result.token } } : invalidCredentials;
        },
      }),
    },
  },
  {
    path: '/api/v1/token/logout/',
    methods: {
      POST: withToken({
        summary: 'Log out',
        description:
          "Revokes the token that made the request; the user's other devices stay logged in.",
        answers: { 204: { description: 'Logged out: the token no longer works.' } },
        async handle({ ctx, auth }) {
          await logout(ctx.db, auth);
          return { status: 204 };
        },
      }),
    },
  },
  { path: '/api/get-token/', methods: { POST: obtainToken } },
  { path: '/api-token-auth/', methods: { POST: obtainToken } },
];
