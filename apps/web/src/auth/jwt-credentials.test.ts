import { afterEach, describe, expect, it, vi } from 'vitest';
import { readStoredJwt, sessionOf, storedJwt } from './jwt-credentials.ts';

/** A JWT with this payload (unsigned: the app never checks signatures, the server does). */
const jwt = (payload: object) =>
  `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('stored JWT pairs', () => {
  afterEach(() => vi.useRealTimers());

  it('are renewed once four fifths of the access token’s life have passed, by this clock', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    // The server's clock is an hour ahead: only the lifetime (exp − iat) counts.
    const access = jwt({ iat: 5000, exp: 5300 });
    const stored = readStoredJwt(storedJwt({ refresh: jwt({ sid: 's1' }), access }));
    expect(stored).toMatchObject({ access, renewAt: 1_000_000 + 240_000 });
  });

  it('are never renewed sooner than in a few seconds, nor at once when their times are unreadable', () => {
    vi.useFakeTimers({ now: 0 });
    expect(
      readStoredJwt(storedJwt({ refresh: 'r', access: jwt({ iat: 0, exp: 1 }) }))?.renewAt,
    ).toBe(5_000);
    expect(readStoredJwt(storedJwt({ refresh: 'r', access: 'not.a.jwt' }))?.renewAt).toBe(60_000);
  });

  it('tell an opaque token from a pair, and a session by its refresh token’s sid', () => {
    expect(readStoredJwt('Dpc9uVgzH1')).toBeNull();
    expect(readStoredJwt('{"refresh":1}')).toBeNull();
    const first = storedJwt({ refresh: jwt({ sid: 'a' }), access: jwt({ iat: 0, exp: 300 }) });
    const renewed = storedJwt({
      refresh: jwt({ sid: 'a', jti: 'x' }),
      access: jwt({ iat: 9, exp: 309 }),
    });
    const other = storedJwt({ refresh: jwt({ sid: 'b' }), access: jwt({ iat: 0, exp: 300 }) });
    expect(sessionOf(renewed)).toBe(sessionOf(first));
    expect(sessionOf(other)).not.toBe(sessionOf(first));
    expect(sessionOf('Dpc9uVgzH1')).toBe('Dpc9uVgzH1');
  });
});
