import { type Database, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { type LoginInput, PASSWORD_MAX_BYTES } from './inputs.ts';
import { rejectAfterPasswordCheck, verifyPassword } from './password.ts';
import { createToken } from './token.ts';
import { type PublicUser, toPublicUser, usernameKey } from './user.ts';

/**
 * Checks the credentials and issues a new token (one per device), or returns
 * null. Every failure costs one bcrypt comparison, so response time does not
 * reveal whether the username exists.
 */
export async function login(
  db: Database,
  input: LoginInput,
): Promise<{ token: string; user: PublicUser } | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.usernameKey, usernameKey(input.username)))
    .limit(1);

  // bcrypt compares only the first 72 bytes, so "<the password>extra" would
  // pass. Signup never accepts a longer password, so a longer one is wrong.
  const acceptable = Buffer.byteLength(input.password, 'utf8') <= PASSWORD_MAX_BYTES;

  const valid =
    user && acceptable
      ? await verifyPassword(input.password, user.passwordHash)
      : await rejectAfterPasswordCheck(input.password);
  if (!user || !valid) return null;

  const token = await createToken(db, user.id);
  return { token, user: toPublicUser(user) };
}
