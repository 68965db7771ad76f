import { type Database, type OneTimeToken, oneTimeTokens, type User, users } from '@tokenauth/db';
import { and, eq, lte } from 'drizzle-orm';
import { generateToken, hashToken, TOKEN_FORMAT } from './token.ts';

/** What an emailed link is for; a token for one purpose opens nothing else. */
export type Purpose = 'verify_email' | 'reset_password' | 'reset_username';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fingerprint of the password hash: a link issued before a password change dies with it. */
const passwordStamp = (user: Pick<User, 'passwordHash'>) =>
  hashToken(user.passwordHash).slice(0, 32);

/**
 * The secret of a new link for `user`'s current email address: 256 bits
 * from the CSPRNG, stored hashed. Issuing one revokes any earlier link of
 * the same purpose, so only the latest email works.
 */
export async function issueOneTimeToken(
  db: Database,
  user: Pick<User, 'id' | 'email' | 'passwordHash'>,
  purpose: Purpose,
  validMs: number,
  now: Date,
): Promise<string> {
  if (!user.email) throw new Error('a link needs an email address to go to');
  const token = generateToken();
  await db.transaction(async (tx) => {
    await tx
      .delete(oneTimeTokens)
      .where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, purpose)));
    await tx.insert(oneTimeTokens).values({
      userId: user.id,
      purpose,
      keyHash: hashToken(token),
      email: user.email as string,
      passwordStamp: passwordStamp(user),
      expiresAt: new Date(now.getTime() + validMs),
    });
  });
  return token;
}

export type Redeemed =
  | { ok: true; user: User }
  | { ok: false; error: 'invalidUid' | 'invalidToken' };

/**
 * Uses up the link `uid`/`token` for `purpose`: it is deleted whatever
 * follows, so it works once. It opens nothing if it expired, or if the
 * user's email address changed since it was sent, or (but to verify the
 * address) their password. Run it in
 * the transaction that acts on it.
 */
export async function redeemOneTimeToken(
  db: Database,
  link: { uid: string; token: string },
  purpose: Purpose,
  now: Date,
): Promise<Redeemed> {
  if (!UUID.test(link.uid)) return { ok: false, error: 'invalidUid' };
  const [user] = await db.select().from(users).where(eq(users.id, link.uid)).for('update');
  if (!user) return { ok: false, error: 'invalidUid' };
  if (!TOKEN_FORMAT.test(link.token)) return { ok: false, error: 'invalidToken' };
  const [found] = await db
    .delete(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.keyHash, hashToken(link.token)),
        eq(oneTimeTokens.userId, user.id),
        eq(oneTimeTokens.purpose, purpose),
      ),
    )
    .returning();
  return found && opens(found, user, purpose, now)
    ? { ok: true, user }
    : { ok: false, error: 'invalidToken' };
}

/** Whether a stored link still opens `purpose` for `user`. */
function opens(found: OneTimeToken, user: User, purpose: Purpose, now: Date): boolean {
  return (
    found.expiresAt > now &&
    found.email === user.email &&
    // A password change does not stop an address from being confirmed; a
    // reset needs the address confirmed still, as when the link was sent.
    (purpose === 'verify_email' ||
      (found.passwordStamp === passwordStamp(user) && user.emailVerifiedAt !== null))
  );
}

/**
 * Whose link `uid`/`token` is, if it would open `purpose` now, without using
 * it up: what a request checks before its other checks.
 */
export async function linkOwner(
  db: Database,
  link: { uid: string; token: string },
  purpose: Purpose,
  now: Date,
): Promise<Redeemed> {
  if (!UUID.test(link.uid)) return { ok: false, error: 'invalidUid' };
  const [user] = await db.select().from(users).where(eq(users.id, link.uid));
  if (!user) return { ok: false, error: 'invalidUid' };
  if (!TOKEN_FORMAT.test(link.token)) return { ok: false, error: 'invalidToken' };
  const [found] = await db
    .select()
    .from(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.keyHash, hashToken(link.token)),
        eq(oneTimeTokens.userId, user.id),
        eq(oneTimeTokens.purpose, purpose),
      ),
    );
  return found && opens(found, user, purpose, now)
    ? { ok: true, user }
    : { ok: false, error: 'invalidToken' };
}

/** Every link of the user: their address changed, so none may open anything. */
export async function revokeOneTimeTokens(db: Database, userId: string): Promise<void> {
  await db.delete(oneTimeTokens).where(eq(oneTimeTokens.userId, userId));
}

/** Deletes expired links; the API's hourly purge runs it with the expired tokens. */
export async function purgeOneTimeTokens(db: Database, now: Date): Promise<number> {
  const deleted = await db
    .delete(oneTimeTokens)
    .where(lte(oneTimeTokens.expiresAt, now))
    .returning({ id: oneTimeTokens.id });
  return deleted.length;
}
