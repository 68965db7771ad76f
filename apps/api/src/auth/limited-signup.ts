import { sendVerification } from '../account/email-links.ts';
import type { Context } from '../context.ts';
import { fieldError } from '../errors.ts';
import { messages } from '../messages.ts';
import type { SignupInput } from './inputs.ts';
import { createUser, signup } from './signup.ts';
import { findUserById, type PublicUser, usernameKey } from './user.ts';

/**
 * A signup as every face makes it: under the signup limits, then the user
 * (with a first token for this device when `withToken`, as the tRPC face
 * answers, but for activation mode; Djoser's `users/` makes none) and, in the same transaction, the
 * network it came from, remembered as one the user logs in from; then a
 * link to verify the email address, if one was given.
 */
export async function limitedSignup(
  ctx: Context,
  input: SignupInput,
  withToken: boolean,
): Promise<
  { ok: true; token: string | null; user: PublicUser } | { ok: false; error: 'usernameTaken' }
> {
  if (ctx.mail.config.requireVerification && !input.email)
    throw fieldError('email', messages.required);
  await ctx.limits.signups.consume({ ip: ctx.ip, username: usernameKey(input.username) });
  const now = ctx.now();
  const network = ctx.ip === undefined ? undefined : ctx.limits.networkOf(ctx.ip);
  // In activation mode the account has no token until its address is confirmed.
  const result =
    withToken && !ctx.mail.config.requireVerification
      ? await signup(ctx, input, { userAgent: ctx.userAgent, ip: ctx.ip, now, network })
      : await createUser(ctx, input, { now, network });
  if (!result.ok) return result;
  if (input.email) {
    const user = await findUserById(ctx.db, result.user.id);
    if (user) await sendVerification(ctx, user, now);
  }
  const token = 'token' in result ? (result.token as string) : null;
  return { ok: true, token, user: result.user };
}
