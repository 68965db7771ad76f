import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { type PublicUser, toPublicUser } from '../auth/user.ts';
import { unauthorized } from '../errors.ts';
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
