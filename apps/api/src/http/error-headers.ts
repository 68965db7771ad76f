import type { TRPCError } from '@trpc/server';
import { RetryAfter, SimpleJwtRefusal } from '../errors.ts';

/**
 * The headers an error answer carries, as `[name, value, …]`:
 * WWW-Authenticate on a 401 (as DRF, or simplejwt for a JWT, sends it), Retry-After on a 429.
 */
export function errorHeaders(errors: readonly TRPCError[]): string[] {
  const headers: string[] = [];
  const refused = errors.find((error) => error.code === 'UNAUTHORIZED');
  if (refused) {
    // The scheme the client should use: simplejwt's for a JWT refused, DRF's otherwise.
    const jwt = refused.cause instanceof SimpleJwtRefusal;
    headers.push('www-authenticate', jwt ? 'Bearer realm="api"' : 'Token');
  }
  const waits = errors.flatMap((e) => (e.cause instanceof RetryAfter ? [e.cause.seconds] : []));
  if (waits.length > 0) headers.push('retry-after', String(Math.max(...waits)));
  return headers;
}
