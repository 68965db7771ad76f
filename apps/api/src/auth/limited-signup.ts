import { sendVerification } from '../account/email-links.ts';
import type { Context } from '../context.ts';
import type { SignupInput } from './inputs.ts';
import { createUser, signup } from './signup.ts';
import { findUserById, usernameKey } from './user.ts';

/**
 * A signup as every face makes it: under the signup limits, then the user
 * (with a first token for this device when `withToken`, as the tRPC face
 * answers; Djoser's `users/` makes none) and, in the same transaction, the
 * network it came from, remembered as one the user logs in from; then a
 * link to verify the email address, if one was given.
 */
export function limitedSignup(
  ctx: Context,
  input: SignupInput,
  withToken: true,
): ReturnType<typeof signup>;
export function limitedSignup(
  ctx: Context,
  input: SignupInput,
  withToken: false,
): ReturnType<typeof createUser>;
export async function limitedSignup(ctx: Context, input: SignupInput, withToken: boolean) {
  await ctx.limits.signups.consume({ ip: ctx.ip, username: usernameKey(input.username) });
  const now = ctx.now();
  const network = ctx.ip === undefined ? undefined : ctx.limits.networkOf(ctx.ip);
  const result = withToken
    ? await signup(ctx, input, { userAgent: ctx.userAgent, ip: ctx.ip, now, network })
    : await createUser(ctx, input, { now, network });
  if (result.ok && input.email) {
    const user = await findUserById(ctx.db, result.user.id);
    if (user) await sendVerification(ctx, user, now);
  }
  return result;
}
