import { z } from 'zod';
import { messages } from '../messages.ts';
import { passwordRuleProblems, passwordSimilarityProblems } from './password-policy.ts';
import { normalizeUsername } from './user.ts';

/** Control characters, and halves of a surrogate pair without the other half. */
const INVALID_CHARACTERS = /[\p{Cc}\p{Cs}]/u;

/**
 * A string field. Control characters (NUL among them, which PostgreSQL
 * refuses in text) and malformed UTF-16 belong in no field: refused here,
 * with one message, before anything reads the value.
 */
export const text = () =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? messages.required : messages.notAString),
    })
    .refine((value) => !INVALID_CHARACTERS.test(value), {
      message: messages.invalidCharacters,
      abort: true,
    });

/** A string that may not be empty (DRF's "may not be blank"). */
export const present = () =>
  text().refine((value) => value !== '', { message: messages.blank, abort: true });

export const username = text()
  .trim()
  .transform(normalizeUsername)
  .pipe(
    z
      .string()
      .refine((value) => value !== '', { message: messages.blank, abort: true })
      .min(3, messages.usernameTooShort)
      .max(150, messages.usernameTooLong)
      .regex(/^[\p{L}\p{N}@.+_-]+$/u, messages.usernameCharacters),
  );

/** Every rule of the password policy, all reported at once. */
const newPassword = (minLength: number) =>
  text().superRefine((password, ctx) => {
    for (const message of passwordRuleProblems(password, minLength)) {
      ctx.addIssue({ code: 'custom', message });
    }
  });

const emailFormat = z.email();

/** Optional: absent, null or blank all mean "no email". */
export const email = text()
  .trim()
  .max(254, messages.emailInvalid)
  .refine((e) => e === '' || emailFormat.safeParse(e).success, messages.emailInvalid)
  .transform((e) => (e === '' ? null : e))
  .nullish()
  .transform((e) => e ?? null);

/** An address that must be given: where a reminder goes. */
export const requiredEmail = present()
  .trim()
  .max(254, messages.emailInvalid)
  .refine((e) => emailFormat.safeParse(e).success, messages.emailInvalid);

/** A password to check, not to set: only shape and size. */
export const currentPassword = present().max(1024, messages.wrongPassword);

/** The two parts of an emailed link, `${WEB_URL}/<page>/<uid>/<token>`. */
const link = z.object({
  uid: present().max(64, messages.invalidUid),
  token: present().max(128, messages.invalidLinkToken),
});

/**
 * Login checks only shape and size; any rule about what a password may be
 * would tell an attacker which guesses cannot succeed.
 */
export const loginInput = z.object({
  username: text().trim().min(1, messages.required).max(150, messages.invalidCredentials),
  password: text().min(1, messages.required).max(1024, messages.invalidCredentials),
});

/** A JWT as a field: any string, which readJwt judges (a 401 for anything not ours, whatever its size). */
const jwtText = present();

/**
 * The input of every procedure. Only the password's minimum length is
 * configured, so the schemas are built once, by the router, from it.
 */
export function createInputs(passwordMinLength: number) {
  const password = newPassword(passwordMinLength);
  return {
    /** Also refuses a password too much like the username or email (once both are valid). */
    signup: z
      .object({ username, password, email })
      .superRefine(({ password, username, email }, ctx) => {
        for (const message of passwordSimilarityProblems(password, { username, email })) {
          ctx.addIssue({ code: 'custom', path: ['password'], message });
        }
      }),
    login: loginInput,
    // The new password's policy is checked after the current password, by changePassword.
    changePassword: z.object({ currentPassword, newPassword: present() }),
    changeUsername: z.object({ currentPassword, newUsername: username }),
    updateAccount: z.object({ email }),
    deleteAccount: z.object({ currentPassword }),
    requestPasswordReset: z.object({
      login: present().trim().max(254, messages.tooLong(254)),
    }),
    requestUsernameReminder: z.object({ email: requiredEmail }),
    verifyEmail: link,
    resetPassword: link.extend({ newPassword: present() }),
    resetUsername: link.extend({ newUsername: username }),
    revokeToken: z.object({
      id: z.uuid({
        error: (issue) => (issue.input === undefined ? messages.required : messages.invalidId),
      }),
    }),
    /** A JWT to refresh or check: only its shape and size here; readJwt judges the rest. */
    jwtRefresh: z.object({ refresh: jwtText }),
    jwtVerify: z.object({ token: jwtText }),
  };
}

export type Inputs = ReturnType<typeof createInputs>;
export type SignupInput = z.infer<Inputs['signup']>;
export type LoginInput = z.infer<typeof loginInput>;
