import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { revokeOneTimeTokens } from '../auth/one-time-tokens.ts';
import { type PublicUser, toPublicUser } from '../auth/user.ts';
import { fieldError, unauthorized } from '../errors.ts';
import { messages } from '../messages.ts';
import type { MailService } from '../services.ts';
import { sendVerification } from './email-links.ts';

/**
 * Sets or clears the email; a 401 if the user was deleted meanwhile (their
 * token with them). A new address is unverified until its owner follows the
 * link mailed to it.
 */
export async function updateAccount(
  deps: { db: Database; mail: MailService; now: () => Date },
  userId: string,
  input: { email: string | null },
): Promise<PublicUser> {
  const { user, changed } = await deps.db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!before) throw unauthorized('invalidToken');
    const changed = before.email !== input.email;
    // In activation mode an account without an address could never log in again.
    if (changed && input.email === null && deps.mail.config.requireVerification) {
      throw fieldError('email', messages.required);
    }
    // Links sent to the old address die with it, even if it comes back later.
    if (changed) await revokeOneTimeTokens(tx, userId);
    const [after] = await tx
      .update(users)
      .set(changed ? { email: input.email, emailVerifiedAt: null } : { email: input.email })
      .where(eq(users.id, userId))
      .returning();
    return { user: after ?? before, changed };
  });
  if (changed) await sendVerification(deps, user, deps.now());
  return toPublicUser(user);
}
