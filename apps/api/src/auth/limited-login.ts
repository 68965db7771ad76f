import type { Context } from '../context.ts';
import { limitPasswordGuesses } from '../rate-limit.ts';
import type { LoginInput } from './inputs.ts';
import { isKnownNetwork } from './known-networks.ts';
import { type Issue, login } from './login.ts';
import { usernameKey } from './user.ts';

/**
 * A login as every face makes it: under the login and wrong-password limits
 * (a network the user logged in from counted apart from strangers), then
 * `login`. Null for wrong credentials; a 429 TRPCError when a limit is spent.
 */
export async function limitedLogin<T = string>(ctx: Context, input: LoginInput, issue?: Issue<T>) {
  const username = usernameKey(input.username);
  const network = ctx.ip === undefined ? undefined : ctx.limits.networkOf(ctx.ip);
  const since = new Date(ctx.now().getTime() - ctx.tokenPolicy.maxAgeMs);
  const knownNetwork =
    network !== undefined && (await isKnownNetwork(ctx.db, username, network, since));
  const attempt = { ip: ctx.ip, username, apart: knownNetwork ? `from ${network}` : undefined };
  await ctx.limits.logins.consume(attempt);
  return limitPasswordGuesses(
    ctx.limits.passwordFailures,
    attempt,
    () =>
      login(ctx, input, { userAgent: ctx.userAgent, ip: ctx.ip, now: ctx.now(), network }, issue),
    (result) => result === null,
  );
}
