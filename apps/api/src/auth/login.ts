import { type Database, isForeignKeyViolation, users } from '@tokenauth/db';
import { and, eq } from 'drizzle-orm';
import type { TokenPolicy } from '../config.ts';
import type { LoginInput } from './inputs.ts';
import { rememberNetwork } from './known-networks.ts';
import { PASSWORD_MAX_BYTES, type PasswordHasher } from './password-hasher.ts';
import { capTokens, createToken, type SessionOwner, type TokenOrigin } from './token.ts';
import { findUserByUsername, type PublicUser, toPublicUser } from './user.ts';

const fitsBcrypt = (password: string) => Buffer.byteLength(password, 'utf8') <= PASSWORD_MAX_BYTES;

/** What a login gives the client: an opaque token (createToken), or a JWT pair. */
export type Issue<T> = (db: Database, user: SessionOwner, origin: TokenOrigin) => Promise<T>;

/**
 * Checks the credentials and issues a new token (one per device; `issue`
 * says which kind), or returns null. Every failure costs one bcrypt comparison, so response time does not
 * reveal whether the username exists. A password hashed at another cost than
 * the configured one, or by Django, is hashed again, now that it is known.
 * An inactive user (Django's `is_active = false`) fails as a wrong password
 * does, as Django's ModelBackend makes it fail.
 */
export async function login<T = string>(
  {
    db,
    hasher,
    tokenPolicy,
    signal,
    mail,
  }: {
    db: Database;
    hasher: PasswordHasher;
    tokenPolicy: TokenPolicy;
    signal?: AbortSignal;
    /** In activation mode, an unconfirmed address fails like a wrong password. */
    mail?: { config: { requireVerification: boolean } };
  },
  input: LoginInput,
  /** `network`: where the client is (ipLimitKey), remembered on success. */
  origin: TokenOrigin & { network?: string | undefined },
  issue: Issue<T> = createToken as Issue<T>,
): Promise<{ token: T; user: PublicUser } | null> {
  const user = await findUserByUsername(db, input.username);
  const valid = user
    ? await hasher.matches(input.password, user.passwordHash, signal)
    : await hasher.rejectAfterCheck(input.password, signal);
  if (!user || !valid) return null;
  if (mail?.config.requireVerification && !user.emailVerifiedAt) return null;
  if (!user.isActive) return null;
  // A Django password over bcrypt's 72 bytes keeps its Django hash.
  if (hasher.needsRehash(user.passwordHash) && fitsBcrypt(input.password)) {
    const passwordHash = await hasher.hash(input.password);
    // Only over the hash that was checked: a password changed meanwhile stays.
    await db
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)));
  }

  try {
    const token = await issue(db, user, origin);
    await capTokens(db, user.id, tokenPolicy.limitPerUser);
    if (origin.network !== undefined) {
      await rememberNetwork(db, user.id, origin.network, origin.now);
    }
    return { token, user: toPublicUser(user) };
  } catch (error) {
    // The account was deleted while its password was being checked.
    if (isForeignKeyViolation(error)) return null;
    throw error;
  }
}
