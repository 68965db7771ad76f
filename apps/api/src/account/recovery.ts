import { type Database, type User, users } from '@tokenauth/db';
import { and, eq, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { linkOwner, type Purpose, redeemOneTimeToken } from '../auth/one-time-tokens.ts';
import { passwordProblems } from '../auth/password-policy.ts';
import { createToken } from '../auth/token.ts';
import { revokeAllTokens } from '../auth/tokens.ts';
import { isUsernameTaken, type PublicUser, toPublicUser, usernameKey } from '../auth/user.ts';
import type { Context } from '../context.ts';
import { sendLink } from './email-links.ts';

/** What a "forgot" request asks for: the purpose of the link it may mail. */
export type Recovery = Purpose;

/**
 * The accounts a request names: by address (any case), or for a password
 * reset by username too. A reset or reminder goes only to a verified
 * address; a new verification link only to an unverified one. An inactive
 * user gets none (as Djoser's reset finds only active users).
 */
async function recipients(db: Database, kind: Recovery, target: string): Promise<User[]> {
  const verified =
    kind === 'verify_email' ? isNull(users.emailVerifiedAt) : isNotNull(users.emailVerifiedAt);
  const byAddress = eq(sql`lower(${users.email})`, target.toLowerCase());
  // Usernames may contain @ too: a reset looks for either.
  const by =
    kind === 'reset_password'
      ? or(byAddress, eq(users.usernameKey, usernameKey(target)))
      : byAddress;
  return db
    .select()
    .from(users)
    .where(and(by, verified, isNotNull(users.email), eq(users.isActive, true)))
    .limit(10);
}

/**
 * A "forgot password / username" or "resend" request: counted per IP and per
 * address (or username) asked about, then answered at once, the same
 * whatever exists. The lookup and the mail happen afterwards, detached from
 * the answer, so neither its content nor its timing tells who has an account.
 */
export async function requestRecovery(ctx: Context, kind: Recovery, target: string): Promise<void> {
  const key = target.trim();
  // One count per address or username, whatever is asked of it: resets,
  // reminders and resends together.
  await ctx.limits.recoveries.consume({ ip: ctx.ip, username: usernameKey(key) });
  const now = ctx.now();
  ctx.mail.outbox.later(async () => {
    const found = await recipients(ctx.db, kind, key);
    await Promise.all(found.map((user) => sendLink(ctx, user, kind, now)));
  });
}

export type Link = { uid: string; token: string };
type LinkFailure = { ok: false; error: 'invalidUid' | 'invalidToken' };

/** A followed link: counted per IP (confirmations), so tokens cannot be guessed at scale. */
const countConfirmation = (ctx: Context) =>
  ctx.limits.confirmations.consume({ ip: ctx.ip, username: '' });

/** Confirms the address a verification link was sent to. */
export async function verifyEmail(
  ctx: Context,
  link: Link,
): Promise<{ ok: true; user: PublicUser } | LinkFailure | { ok: false; error: 'alreadyVerified' }> {
  await countConfirmation(ctx);
  const now = ctx.now();
  // As Django's tokens: a verification link stays valid once followed (it
  // changes nothing more), so following it again is "stale" (Djoser's 403),
  // and only a real link learns that; any other gets 400.
  const owner = await linkOwner(ctx.db, link, 'verify_email', now);
  if (!owner.ok) return owner;
  if (owner.user.emailVerifiedAt) return { ok: false, error: 'alreadyVerified' };
  const [user] = await ctx.db
    .update(users)
    .set({ emailVerifiedAt: now })
    .where(and(eq(users.id, owner.user.id), eq(users.email, owner.user.email ?? '')))
    .returning();
  return user ? { ok: true, user: toPublicUser(user) } : { ok: false, error: 'invalidToken' };
}

/**
 * Sets a new password from a reset link: the link checked, then the policy
 * (a weak password does not use up the link), then, in one transaction, the
 * link used up, the password, every session of the user revoked, and a
 * fresh token for this device.
 */
export async function resetPassword(
  ctx: Context,
  link: Link,
  newPassword: string,
  passwordMinLength: number,
): Promise<
  | { ok: true; token: string; user: PublicUser }
  | LinkFailure
  | { ok: false; error: 'weakPassword'; problems: string[] }
> {
  await countConfirmation(ctx);
  // The link first: a dead one says so, whatever the password; then the
  // policy, which does not use up a live link.
  const owner = await linkOwner(ctx.db, link, 'reset_password', ctx.now());
  if (!owner.ok) return owner;
  const problems = passwordProblems(newPassword, passwordMinLength, owner.user);
  if (problems.length > 0) return { ok: false, error: 'weakPassword', problems };
  const passwordHash = await ctx.hasher.hash(newPassword, ctx.signal);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const redeemed = await redeemOneTimeToken(tx, link, 'reset_password', now);
    if (!redeemed.ok) return redeemed;
    await tx.update(users).set({ passwordHash }).where(eq(users.id, redeemed.user.id));
    await revokeAllTokens(tx, redeemed.user.id);
    const [user] = await tx.select().from(users).where(eq(users.id, redeemed.user.id));
    const current = user ?? redeemed.user;
    const token = await createToken(tx, current, { userAgent: ctx.userAgent, ip: ctx.ip, now });
    return { ok: true, token, user: toPublicUser(current) };
  });
}

/** Sets a new username from the link of a username reminder. */
export async function resetUsername(
  ctx: Context,
  link: Link,
  newUsername: string,
): Promise<{ ok: true; user: PublicUser } | LinkFailure | { ok: false; error: 'usernameTaken' }> {
  await countConfirmation(ctx);
  const now = ctx.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const redeemed = await redeemOneTimeToken(tx, link, 'reset_username', now);
      if (!redeemed.ok) return redeemed;
      const [user] = await tx
        .update(users)
        .set({ username: newUsername, usernameKey: usernameKey(newUsername) })
        .where(eq(users.id, redeemed.user.id))
        .returning();
      return { ok: true as const, user: toPublicUser(user ?? redeemed.user) };
    });
  } catch (error) {
    // The transaction rolled back: the link still works, with another name.
    if (isUsernameTaken(error)) return { ok: false, error: 'usernameTaken' };
    throw error;
  }
}
