import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { type PublicUser, toPublicUser } from '../auth/user.ts';

/** Sets or clears the email; undefined when the user no longer exists. */
export async function updateAccount(
  db: Database,
  userId: string,
  input: { email: string | null },
): Promise<PublicUser | undefined> {
  const [user] = await db
    .update(users)
    .set({ email: input.email })
    .where(eq(users.id, userId))
    .returning();
  return user && toPublicUser(user);
}
