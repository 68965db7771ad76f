import type { Database, User } from '@tokenauth/db';
import { issueOneTimeToken, type Purpose } from '../auth/one-time-tokens.ts';
import { mailTemplates } from '../mail/templates.ts';
import type { MailService } from '../services.ts';

/** The web app's page each link opens, as `${WEB_URL}/<page>/<uid>/<token>` (Djoser's shape). */
const pages: Record<Purpose, string> = {
  verify_email: 'verify-email',
  reset_password: 'reset-password',
  reset_username: 'reset-username',
};

const templates = {
  verify_email: mailTemplates.verifyEmail,
  reset_password: mailTemplates.passwordReset,
  reset_username: mailTemplates.usernameReminder,
} as const;

/**
 * Emails `user` a link for `purpose` at their current address: a new
 * single-use token (the previous link of that purpose stops working) and a
 * message in the outbox, sent in the background.
 */
export async function sendLink(
  deps: { db: Database; mail: MailService },
  user: User,
  purpose: Purpose,
  now: Date,
): Promise<void> {
  const { config, outbox } = deps.mail;
  if (!user.email) return;
  const validMs =
    purpose === 'verify_email' ? config.emailVerificationMaxAgeMs : config.passwordResetMaxAgeMs;
  const token = await issueOneTimeToken(deps.db, user, purpose, validMs, now);
  const url = `${config.webUrl}/${pages[purpose]}/${user.id}/${token}`;
  await outbox.send(templates[purpose](user.email, user.username, url, validMs));
}

/**
 * Mails a verification link to the user's address, if it is not verified
 * yet. Queuing cannot fail the change that led to it: a failure is logged,
 * and "Resend" is there.
 */
export async function sendVerification(
  deps: { db: Database; mail: MailService },
  user: User,
  now: Date,
): Promise<void> {
  if (!user.email || user.emailVerifiedAt) return;
  try {
    await sendLink(deps, user, 'verify_email', now);
  } catch (error) {
    deps.mail.log.error({ err: error, userId: user.id }, 'could not queue the verification mail');
  }
}
