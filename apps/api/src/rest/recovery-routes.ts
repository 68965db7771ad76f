import {
  type Recovery,
  requestRecovery,
  resetPassword,
  resetUsername,
  verifyEmail,
} from '../account/recovery.ts';
import { messages } from '../messages.ts';
import { fieldErrors, open, type RestAnswer, type Route } from './operation.ts';
import { bodies } from './schemas.ts';

/** Djoser's answers to a link that opens nothing. */
const linkErrors = {
  invalidUid: fieldErrors({ uid: [messages.invalidUid] }),
  invalidToken: fieldErrors({ token: [messages.invalidLinkToken] }),
};
const done: RestAnswer = { status: 204 };

/** A request for a link: 204 whatever exists (the mail, if any, goes out afterwards). */
const asking = (kind: Recovery, summary: string, description: string) =>
  open({
    summary,
    description: `${description} Answers 204 whether or not an account matches; the mail goes out in the background.`,
    body: bodies.emailOnly,
    limited: true,
    answers: { 204: { description: 'Asked: if an account matches, a link is on its way.' } },
    async handle({ ctx, body }) {
      await requestRecovery(ctx, kind, body().email);
      return done;
    },
  });

const linkAnswers = (what: string) => ({
  204: { description: what },
  400: {
    description: `\`{"uid":["${messages.invalidUid}"]}\`, \`{"token":["${messages.invalidLinkToken}"]}\`, or field errors.`,
  },
});

/** Djoser's email endpoints: activation (our email verification), password and username resets. */
export const recoveryRoutes = (passwordMinLength: number): Route[] => [
  {
    path: '/api/v1/users/activation/',
    methods: {
      POST: open({
        summary: 'Confirm an email address',
        description: 'The uid and token of a verification link.',
        body: bodies.link,
        limited: true,
        answers: {
          ...linkAnswers('The address is verified.'),
          403: { description: `\`{"detail":"${messages.staleLinkToken}"}\`: already verified.` },
        },
        async handle({ ctx, body }) {
          const result = await verifyEmail(ctx, body());
          if (result.ok) return done;
          if (result.error === 'alreadyVerified') {
            return { status: 403, body: { detail: messages.staleLinkToken } };
          }
          return linkErrors[result.error];
        },
      }),
    },
  },
  {
    path: '/api/v1/users/resend_activation/',
    methods: {
      POST: asking('verify_email', 'Resend the verification link', 'To an unverified address.'),
    },
  },
  {
    path: '/api/v1/users/reset_password/',
    methods: {
      POST: asking('reset_password', 'Forgot password', 'A reset link, to a verified address.'),
    },
  },
  {
    path: '/api/v1/users/reset_password_confirm/',
    methods: {
      POST: open({
        summary: 'Set a new password from a reset link',
        description: 'Every session of the user ends.',
        body: bodies.resetPasswordConfirm,
        limited: true,
        answers: linkAnswers('The password is changed.'),
        async handle({ ctx, body }) {
          const { uid, token, new_password } = body();
          const result = await resetPassword(ctx, { uid, token }, new_password, passwordMinLength);
          if (result.ok) return done;
          if (result.error === 'weakPassword')
            return fieldErrors({ new_password: result.problems });
          return linkErrors[result.error];
        },
      }),
    },
  },
  {
    path: '/api/v1/users/reset_username/',
    methods: {
      POST: asking('reset_username', 'Forgot username', 'The usernames, to a verified address.'),
    },
  },
  {
    path: '/api/v1/users/reset_username_confirm/',
    methods: {
      POST: open({
        summary: 'Set a new username from a reminder link',
        body: bodies.resetUsernameConfirm,
        limited: true,
        answers: linkAnswers('The username is changed.'),
        async handle({ ctx, body }) {
          const { uid, token, new_username } = body();
          const result = await resetUsername(ctx, { uid, token }, new_username);
          if (result.ok) return done;
          if (result.error === 'usernameTaken') {
            return fieldErrors({ new_username: [messages.usernameTaken] });
          }
          return linkErrors[result.error];
        },
      }),
    },
  },
];
