import { type Database, isUniqueViolation, users } from '@tokenauth/db';
import type { SignupInput } from './inputs.ts';
import { hashPassword } from './password.ts';
import { createToken } from './token.ts';
import { type PublicUser, toPublicUser, usernameKey } from './user.ts';

export type SignupResult = { ok: true; token: string; user: PublicUser } | { ok: false };

/**
 * Creates the user and their first token in one transaction. A taken username
 * is decided by the unique index, so two racing signups cannot both win.
 */
export async function signup(db: Database, input: SignupInput): Promise<SignupResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          username: input.username,
          usernameKey: usernameKey(input.username),
          email: input.email,
          passwordHash,
        })
        .returning();
      if (!user) throw new Error('insert into users returned no row');
      const token = await createToken(tx, user.id);
      return { ok: true as const, token, user: toPublicUser(user) };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_username_key_idx')) return { ok: false };
    throw error;
  }
}
