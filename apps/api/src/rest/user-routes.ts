import {
  limitedChangePassword,
  limitedChangeUsername,
  limitedDeleteAccount,
} from '../account/limited-changes.ts';
import { updateAccount } from '../account/update-account.ts';
import { limitedSignup } from '../auth/limited-signup.ts';
import { passwordProblems } from '../auth/password-policy.ts';
import { findUserByUsername, usernameKey } from '../auth/user.ts';
import type { Authenticated } from '../auth/verify-token.ts';
import { messages } from '../messages.ts';
import {
  fieldErrors,
  type Method,
  type Operation,
  open,
  type Route,
  withToken,
} from './operation.ts';
import { answers, bodies, userObject } from './schemas.ts';

const user = (description: string) => ({ description, schema: answers.user });
const wrongPassword = fieldErrors({ current_password: [messages.wrongPassword] });
const usernameTaken = (field: string) => fieldErrors({ [field]: [messages.usernameTaken] });

const updateMe = withToken({
  summary: 'Change the email',
  description:
    'PUT and PATCH alike: `username` is read-only (see set_username/), a field left out is kept.',
  body: bodies.updateUser,
  answers: { 200: user('The user, changed.') },
  async handle({ ctx, auth, body }) {
    const { email } = body();
    if (email === undefined) return { status: 200, body: userObject(auth.user) };
    return { status: 200, body: userObject(await updateAccount(ctx, auth.user.id, { email })) };
  },
});

/** The signed-in user's own endpoint: `users/me/`, and `users/{id}/` with their id. */
const me: Partial<Record<Method, Operation>> = {
  GET: withToken({
    summary: 'The signed-in user',
    answers: { 200: user('The user the token belongs to.') },
    async handle({ auth }) {
      return { status: 200, body: userObject(auth.user) };
    },
  }),
  PUT: updateMe,
  PATCH: updateMe,
  DELETE: withToken({
    summary: 'Delete the account',
    description: 'Every token of the user dies with it.',
    body: bodies.deleteUser,
    limited: true,
    answers: { 204: { description: 'Deleted.' } },
    async handle({ ctx, auth, body }) {
      const input = { currentPassword: body().current_password };
      const result = await limitedDeleteAccount(ctx, auth, input);
      return result.ok ? { status: 204 } : wrongPassword;
    },
  }),
};

/** Whether `users/{id}/` names the caller: by id, or by username (the seeds' USER_ID_FIELD). */
const isCaller = (id: string, auth: Authenticated | undefined) =>
  auth !== undefined &&
  (id === auth.user.id || usernameKey(id) === usernameKey(auth.user.username));

/**
 * `users/{id}/` serves the caller's own id or username as `users/me/`;
 * anyone else's is 404 (Djoser's HIDE_USERS), or 403 for DELETE, whether
 * they exist or not.
 */
const byId = Object.fromEntries(
  Object.entries(me).map(([method, operation]) => [
    method,
    {
      ...operation,
      summary: `${operation.summary} (by id: your own only)`,
      answers: {
        ...operation.answers,
        ...(method === 'DELETE'
          ? { 403: { description: 'Not your id.' } }
          : { 404: { description: 'Not your id: no other user is shown.' } }),
      },
      handle(call) {
        if (isCaller(call.params.id ?? '', call.auth)) return operation.handle(call);
        return Promise.resolve(
          method === 'DELETE'
            ? { status: 403, body: { detail: messages.permissionDenied } }
            : { status: 404, body: { detail: messages.notFound } },
        );
      },
    } satisfies Operation,
  ]),
);

export const userRoutes = (passwordMinLength: number): Route[] => [
  {
    path: '/api/v1/users/',
    methods: {
      GET: withToken({
        summary: 'List users',
        description: "Only the signed-in user (Djoser's HIDE_USERS); no pagination.",
        answers: {
          200: { description: 'The signed-in user, alone.', schema: answers.user.array() },
        },
        async handle({ auth }) {
          return { status: 200, body: [userObject(auth.user)] };
        },
      }),
      POST: open({
        summary: 'Sign up',
        description:
          "Makes no token: log in next. Fields are checked first, and alone; then Django's password validators, all at once, in their order (similarity, length, common, numeric).",
        body: bodies.signup,
        limited: true,
        answers: { 201: user('The new user.') },
        async handle({ ctx, body }) {
          const input = body();
          const problems = passwordProblems(input.password, passwordMinLength, input);
          if (problems.length > 0) {
            // A taken name is a field error: Django reports it before any password
            // problem. Asking is trying a name, so it is counted as a signup is.
            await ctx.limits.signups.consume({ ip: ctx.ip, username: usernameKey(input.username) });
            const taken = await findUserByUsername(ctx.db, input.username);
            return taken ? usernameTaken('username') : fieldErrors({ password: problems });
          }
          const result = await limitedSignup(ctx, input, false);
          if (!result.ok) return usernameTaken('username');
          return { status: 201, body: userObject(result.user) };
        },
      }),
    },
  },
  { path: '/api/v1/users/me/', methods: me },
  { path: '/api/v1/users/{id}/', methods: byId },
  {
    path: '/api/v1/users/set_password/',
    methods: {
      POST: withToken({
        summary: 'Change the password',
        description:
          'Every other token of the user is revoked; this one keeps working. The current password is checked first, then the new one against the whole policy.',
        body: bodies.setPassword,
        limited: true,
        answers: { 204: { description: 'Changed.' } },
        async handle({ ctx, auth, body }) {
          const { current_password, new_password } = body();
          const input = { currentPassword: current_password, newPassword: new_password };
          const result = await limitedChangePassword(ctx, auth, input, passwordMinLength);
          if (result.ok) return { status: 204 };
          if (result.error === 'weakPassword')
            return fieldErrors({ new_password: result.problems });
          return wrongPassword;
        },
      }),
    },
  },
  {
    path: '/api/v1/users/set_username/',
    methods: {
      POST: withToken({
        summary: 'Change the username',
        description: 'Unique ignoring case. Every token keeps working.',
        body: bodies.setUsername,
        limited: true,
        answers: { 204: { description: 'Changed.' } },
        async handle({ ctx, auth, body }) {
          const { current_password, new_username } = body();
          const input = { currentPassword: current_password, newUsername: new_username };
          const result = await limitedChangeUsername(ctx, auth, input);
          if (result.ok) return { status: 204 };
          return result.error === 'usernameTaken' ? usernameTaken('new_username') : wrongPassword;
        },
      }),
    },
  },
];
