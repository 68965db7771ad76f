import type { Context } from '../context.ts';
import type { SignupInput } from './inputs.ts';
import { rememberNetwork } from './known-networks.ts';
import { createUser, signup } from './signup.ts';
import { usernameKey } from './user.ts';

/**
 * A signup as every face makes it: under the signup limits, then the user
 * (with a first token for this device when `withToken`, as the tRPC face
 * answers; Djoser's `users/` makes none), and the network it came from
 * remembered as one the user logs in from.
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
  const result = withToken
    ? await signup(ctx, input, { userAgent: ctx.userAgent, ip: ctx.ip, now })
    : await createUser(ctx, input, now);
  if (result.ok && ctx.ip !== undefined) {
    await rememberNetwork(ctx.db, result.user.id, ctx.limits.networkOf(ctx.ip), now);
  }
  return result;
}
