import { dictionary } from '@zxcvbn-ts/language-common';
import { messages } from '../messages.ts';
import { PASSWORD_MAX_BYTES } from './password-hasher.ts';

/**
 * The 20,000 most common passwords (as Django's CommonPasswordValidator
 * uses), from zxcvbn-ts's list ranked by frequency; all lower case.
 */
const COMMON_PASSWORDS = new Set(dictionary['passwords-common'].slice(0, 20_000));

/** The rules a client can show before a password is sent (the rest are checked on submit). */
export type PasswordPolicy = { minLength: number; maxBytes: number };

export function passwordPolicy(minLength: number): PasswordPolicy {
  return { minLength, maxBytes: PASSWORD_MAX_BYTES };
}

/**
 * What is wrong with a new password on its own, every rule at once, like
 * Django's default validators: length, bcrypt's byte limit, a common
 * password, all digits.
 */
export function passwordRuleProblems(password: string, minLength: number): string[] {
  const problems: string[] = [];
  if ([...password].length < minLength) problems.push(messages.passwordTooShort(minLength));
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    problems.push(messages.passwordTooLong);
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase().trim())) problems.push(messages.passwordCommon);
  if (/^\d+$/.test(password)) problems.push(messages.passwordNumeric);
  return problems;
}

/**
 * Every problem of a new password for this user, in the order of Django's
 * default AUTH_PASSWORD_VALIDATORS: similarity, length, common, numeric.
 */
export function passwordProblems(
  password: string,
  minLength: number,
  user: { username: string; email?: string | null | undefined },
): string[] {
  return [
    ...passwordSimilarityProblems(password, user),
    ...passwordRuleProblems(password, minLength),
  ];
}

const MAX_SIMILARITY = 0.7;

/**
 * Django's UserAttributeSimilarityValidator: the password may not be too
 * much like the username or the email address, or any word in them.
 */
export function passwordSimilarityProblems(
  password: string,
  user: { username: string; email?: string | null | undefined },
): string[] {
  const attributes = [
    ['username', user.username],
    ['email address', user.email],
  ] as const;
  const lower = password.toLowerCase();
  return attributes
    .filter(([, value]) => value && isTooSimilar(lower, value.toLowerCase()))
    .map(([name]) => messages.passwordSimilar(name));
}

function isTooSimilar(password: string, value: string): boolean {
  const parts = [...value.split(/[^\p{L}\p{N}_]+/u), value];
  return parts.some(
    (part) =>
      part.length > 0 &&
      !exceedsMaximumLengthRatio(password, part) &&
      quickRatio(password, part) >= MAX_SIMILARITY,
  );
}

/** A long password cannot be "similar" to a short word: Django skips those pairs. */
function exceedsMaximumLengthRatio(password: string, value: string): boolean {
  return (
    password.length >= 10 * value.length && value.length < (MAX_SIMILARITY / 2) * password.length
  );
}

/** Python's difflib SequenceMatcher.quick_ratio: 2 × shared characters / total length. */
export function quickRatio(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const ch of b) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let matches = 0;
  for (const ch of a) {
    const left = counts.get(ch) ?? 0;
    if (left > 0) {
      matches += 1;
      counts.set(ch, left - 1);
    }
  }
  const total = a.length + b.length;
  return total === 0 ? 1 : (2 * matches) / total;
}
