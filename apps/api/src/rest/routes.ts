import type { Inputs } from '../auth/inputs.ts';
import { limitedLogin } from '../auth/limited-login.ts';
import { revokeToken } from '../auth/tokens.ts';
import type { PublicUser } from '../auth/user.ts';
import type { Authenticated } from '../auth/verify-token.ts';
import type { Context } from '../context.ts';
import { unauthorized } from '../errors.ts';
import { messages } from '../messages.ts';
import type { RestAnswer } from './drf-errors.ts';

type Handler = (call: {
  ctx: Context;
  auth: Authenticated | undefined;
  data: () => Record<string, unknown>;
}) => Promise<RestAnswer>;

/** One endpoint: its methods, whether it needs a token, and what answers it. */
export type Route = { methods: Record<string, Handler>; needsToken: boolean };

/** Djoser's user object, with Djoser's default fields: `{"email","id","username"}`. */
const userObject = (user: PublicUser) => ({
  email: user.email ?? '',
  id: user.id,
  username: user.username,
});

const invalidCredentials: RestAnswer = {
  status: 400,
  body: { non_field_errors: [messages.invalidCredentials] },
};

/**
 * DRF's `obtain_auth_token` (`{"token"}`), which requires both fields, or
 * djoser's `token/login/` (`{"auth_token"}`), for which they are optional
 * and a missing one is just a failed login.
 */
function tokenLogin(inputs: Inputs, key: 'token' | 'auth_token'): Handler {
  return async ({ ctx, data }) => {
    const fields = data();
    if (key === 'token') {
      const problems: Record<string, string[]> = {};
      for (const name of ['username', 'password'] as const) {
        const value = fields[name];
        if (value === undefined) problems[name] = [messages.required];
        else if (value === '') problems[name] = [messages.blank];
      }
      if (Object.keys(problems).length > 0) return { status: 400, body: problems };
    }
    const input = inputs.login.safeParse(fields);
    if (!input.success) return invalidCredentials;
    const result = await limitedLogin(ctx, input.data);
    return result ? { status: 200, body: { [key]: result.token } } : invalidCredentials;
  };
}

/** The REST face's endpoints, by path without its trailing slash. */
export function restRoutes(inputs: Inputs): Record<string, Route> {
  const obtainToken: Route = {
    needsToken: false,
    methods: { POST: tokenLogin(inputs, 'token') },
  };
  return {
    '/api/v1/token/login': {
      needsToken: false,
      methods: { POST: tokenLogin(inputs, 'auth_token') },
    },
    '/api/v1/token/logout': {
      needsToken: true,
      methods: {
        async POST({ ctx, auth }) {
          if (!auth || !(await revokeToken(ctx.db, auth.user.id, auth.tokenId))) {
            throw unauthorized('invalidToken');
          }
          return { status: 204 };
        },
      },
    },
    '/api/v1/users/me': {
      needsToken: true,
      methods: {
        async GET({ auth }) {
          if (!auth) throw unauthorized('notAuthenticated');
          return { status: 200, body: userObject(auth.user) };
        },
      },
    },
    '/api/get-token': obtainToken,
    '/api-token-auth': obtainToken,
  };
}
