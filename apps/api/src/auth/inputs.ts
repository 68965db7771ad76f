import { z } from 'zod';
import { messages } from '../errors.ts';
import { passwordRuleProblems, passwordSimilarityProblems } from './password-policy.ts';
import { normalizeUsername } from './user.ts';

const text = () =>
  z.string({
    error: (issue) => (issue.input === undefined ? messages.required : messages.notAString),
  });

export const username = text()
  .trim()
  .transform(normalizeUsername)
  .pipe(
    z
      .string()
      .min(3, messages.usernameTooShort)
      .max(150, messages.usernameTooLong)
      .regex(/^[\p{L}\p{N}@.+_-]+$/u, messages.usernameCharacters),
  );

/** Every rule of the password policy, all reported at once. */
export const newPassword = text().superRefine((password, ctx) => {
  for (const message of passwordRuleProblems(password)) ctx.addIssue({ code: 'custom', message });
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

/** Also refuses a password too much like the username or email (once both are valid). */
export const signupInput = z
  .object({ username, password: newPassword, email })
  .superRefine(({ password, username, email }, ctx) => {
    for (const message of passwordSimilarityProblems(password, { username, email })) {
      ctx.addIssue({ code: 'custom', path: ['password'], message });
    }
  });

/** A password to check, not to set: only shape and size. */
const currentPassword = text().min(1, messages.required).max(1024, messages.wrongPassword);

/**
 * Login checks only shape and size; any rule about what a password may be
 * would tell an attacker which guesses cannot succeed.
 */
export const loginInput = z.object({
  username: text().trim().min(1, messages.required).max(150, messages.invalidCredentials),
  password: text().min(1, messages.required).max(1024, messages.invalidCredentials),
});

export const changePasswordInput = z.object({ currentPassword, newPassword });
export const changeUsernameInput = z.object({ currentPassword, newUsername: username });
export const updateAccountInput = z.object({ email });
export const deleteAccountInput = z.object({ currentPassword });
export const revokeSessionInput = z.object({
  id: z.uuid({
    error: (issue) => (issue.input === undefined ? messages.required : messages.invalidId),
  }),
});

export type SignupInput = z.infer<typeof signupInput>;
export type LoginInput = z.infer<typeof loginInput>;
