import type { Context } from '../context.ts';
import type { MessageKey } from '../messages.ts';
import { parseAuthorizationHeader } from './header.ts';
import { type Authenticated, verifyToken } from './verify-token.ts';

/**
 * The request's Authorization header, resolved to a user and token in one
 * indexed query, or the DRF message that explains why not.
 */
export async function authenticate(
  ctx: Context,
): Promise<{ ok: true; auth: Authenticated } | { ok: false; error: MessageKey }> {
  const header = parseAuthorizationHeader(ctx.authorization);
  if (!header.ok) return header;
  const verified = await verifyToken(ctx, header.key, ctx.now());
  if (verified.ok) return verified;
  return { ok: false, error: verified.expired ? 'tokenExpired' : 'invalidToken' };
}
