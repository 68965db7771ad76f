import type { TRPCError } from '@trpc/server';
import { RetryAfter } from '../errors.ts';

/**
 * The headers an error answer carries, as `[name, value, …]`:
 * WWW-Authenticate on a 401 (as DRF sends it), Retry-After on a 429.
 */
export function errorHeaders(errors: readonly TRPCError[]): string[] {
  const headers: string[] = [];
  if (errors.some((error) => error.code === 'UNAUTHORIZED')) {
    headers.push('www-authenticate', 'Token');
  }
  const waits = errors.flatMap((e) => (e.cause instanceof RetryAfter ? [e.cause.seconds] : []));
  if (waits.length > 0) headers.push('retry-after', String(Math.max(...waits)));
  return headers;
}
