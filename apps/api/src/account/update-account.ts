import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { type PublicUser, toPublicUser } from '../auth/user.ts';
import { unauthorized } from '../errors.ts';

/** Sets or clears the email; a 401 if the user was deleted meanwhile (their token with them). */
export async function updateAccount(
  db: Database,
  userId: string,
  input: { email: string | null },
): Promise<PublicUser> {
  const [user] = await db
    .update(users)
    .set({ email: input.email })
    .where(eq(users.id, userId))
    .returning();
  if (!user) throw unauthorized('invalidToken');
  return toPublicUser(user);
}
