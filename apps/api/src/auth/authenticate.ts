import type { Context } from '../context.ts';
import { accessTokenRefused, unauthorized } from '../errors.ts';
import { verifyJwtAccess } from '../jwt/jwt-tokens.ts';
import type { MessageKey } from '../messages.ts';
import { parseAuthorizationHeader, type Scheme } from './header.ts';
import { type Authenticated, verifyToken } from './verify-token.ts';

/** Three base64url parts: a JWT's compact form. */
const JWT_FORMAT = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** Whether the header carries a JWT: `Bearer` with a JWT's form, or `JWT`. */
const carriesJwt = (scheme: Scheme, key: string) =>
  scheme === 'jwt' || (scheme === 'bearer' && JWT_FORMAT.test(key));

type Failure =
  | { ok: false; error: MessageKey; jwt?: undefined }
  /** The header carried a JWT, which the REST face refuses in simplejwt's words. */
  | { ok: false; error: 'invalidToken' | 'tokenExpired'; jwt: true };

export type Authentication = { ok: true; auth: Authenticated } | Failure;

/** The 401 for a header that does not authenticate. */
export const refusalOf = (failure: Failure) =>
  failure.jwt ? accessTokenRefused(failure.error) : unauthorized(failure.error);

/**
 * The request's Authorization header, resolved to a user and token (or JWT
 * session) in one indexed query, or the DRF message that explains why not.
 * An opaque token sent as `Bearer` works as under `Token`.
 */
export async function authenticate(ctx: Context): Promise<Authentication> {
  const header = parseAuthorizationHeader(ctx.authorization);
  if (!header.ok) return header;
  if (carriesJwt(header.scheme, header.key)) {
    if (!ctx.jwt) return { ok: false, error: 'invalidToken' };
    const verified = await verifyJwtAccess(
      { jwt: ctx.jwt, tokenPolicy: ctx.tokenPolicy },
      header.key,
      ctx.now(),
    );
    if (verified.ok) return verified;
    return { ok: false, error: verified.expired ? 'tokenExpired' : 'invalidToken', jwt: true };
  }
  const verified = await verifyToken(ctx, header.key, ctx.now());
  if (verified.ok) return verified;
  return { ok: false, error: verified.expired ? 'tokenExpired' : 'invalidToken' };
}
