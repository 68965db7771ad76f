import { type Database, oneTimeTokens, type User, users } from '@tokenauth/db';
import { and, eq, sql } from 'drizzle-orm';
import { deleteInBatches } from '../delete-in-batches.ts';
import { sqlTime } from '../sql-rows.ts';
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

type Link = { uid: string; token: string };

/**
 * Whose link `uid`/`token` is, if it opens `purpose` now. It opens nothing
 * if it expired, if the user's address changed since it was sent, or, for
 * a reset, if their password changed or the address is no longer confirmed.
 * `use` deletes it whatever follows (it works once): run that in the
 * transaction that acts on it, which then holds the user's row.
 */
async function openLink(
  db: Database,
  link: Link,
  purpose: Purpose,
  now: Date,
  use: boolean,
): Promise<Redeemed> {
  if (!UUID.test(link.uid)) return { ok: false, error: 'invalidUid' };
  const byUser = db.select().from(users).where(eq(users.id, link.uid));
  const [user] = await (use ? byUser.for('update') : byUser);
  if (!user) return { ok: false, error: 'invalidUid' };
  if (!TOKEN_FORMAT.test(link.token)) return { ok: false, error: 'invalidToken' };
  const match = and(
    eq(oneTimeTokens.keyHash, hashToken(link.token)),
    eq(oneTimeTokens.userId, user.id),
    eq(oneTimeTokens.purpose, purpose),
  );
  const [found] = use
    ? await db.delete(oneTimeTokens).where(match).returning()
    : await db.select().from(oneTimeTokens).where(match);
  const opens =
    found !== undefined &&
    found.expiresAt > now &&
    found.email === user.email &&
    // A password change does not stop an address from being confirmed.
    (purpose === 'verify_email' ||
      (found.passwordStamp === passwordStamp(user) && user.emailVerifiedAt !== null));
  return opens ? { ok: true, user } : { ok: false, error: 'invalidToken' };
}

/** Uses up a link: what a reset does, in its transaction. */
export const redeemOneTimeToken = (db: Database, link: Link, purpose: Purpose, now: Date) =>
  openLink(db, link, purpose, now, true);

/** Checks a link without using it up: what a request checks before its other checks. */
export const linkOwner = (db: Database, link: Link, purpose: Purpose, now: Date) =>
  openLink(db, link, purpose, now, false);

/** Every link of the user: their address changed, so none may open anything. */
export async function revokeOneTimeTokens(db: Database, userId: string): Promise<void> {
  await db.delete(oneTimeTokens).where(eq(oneTimeTokens.userId, userId));
}

/** Deletes expired links; the API's hourly purge runs it with the expired tokens. */
export async function purgeOneTimeTokens(db: Database, now: Date): Promise<number> {
  return deleteInBatches(
    db,
    oneTimeTokens,
    sql`${oneTimeTokens.expiresAt} <= ${sqlTime(now)}`,
    oneTimeTokens.expiresAt,
  );
}
