import type { MessageKey } from '../messages.ts';

/** The scheme, lower-cased: `token`, `bearer` or `jwt`. */
export type Scheme = 'token' | 'bearer' | 'jwt';
export type ParsedAuthorization =
  | { ok: true; scheme: Scheme; key: string }
  | { ok: false; error: MessageKey };

const SCHEMES = new Set<string>(['token', 'bearer', 'jwt']);

/**
 * Reads `Authorization: Token <key>` (or `Bearer <key>`, or `JWT <key>` as
 * older simplejwt tutorials send) as Django REST Framework's
 * TokenAuthentication does: the scheme in any case, any run of whitespace
 * around the parts, and DRF's message for each malformed shape.
 */
export function parseAuthorizationHeader(header: string | undefined): ParsedAuthorization {
  const parts = (header ?? '').trim().split(/\s+/);
  const [scheme, key] = parts;
  if (!scheme || !SCHEMES.has(scheme.toLowerCase()))
    return { ok: false, error: 'notAuthenticated' };
  if (key === undefined) return { ok: false, error: 'tokenHeaderNoCredentials' };
  if (parts.length > 2) return { ok: false, error: 'tokenHeaderSpaces' };
  // Header values are Latin-1 on the wire; a key is printable ASCII.
  if (!/^[\x21-\x7e]+$/.test(key)) return { ok: false, error: 'tokenHeaderInvalidCharacters' };
  return { ok: true, scheme: scheme.toLowerCase() as Scheme, key };
}
