import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIpResolver } from './client-ip.ts';

/** What the resolver reads of a request: the socket's address and X-Forwarded-For. */
const request = (socket: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: socket },
    connection: { remoteAddress: socket },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientIpResolver', () => {
  it('uses the socket address and ignores X-Forwarded-For by default', () => {
    expect(clientIpResolver(0)(request('203.0.113.7', '198.51.100.1'))).toBe('203.0.113.7');
  });

  it('unwraps IPv4-mapped IPv6 addresses', () => {
    expect(clientIpResolver(0)(request('::ffff:127.0.0.1'))).toBe('127.0.0.1');
    expect(clientIpResolver(0)(request('::1'))).toBe('::1');
    expect(clientIpResolver(1)(request('::1', '::ffff:198.51.100.1'))).toBe('198.51.100.1');
  });

  it('believes as many hops as there are trusted proxies', () => {
    // client → proxy A (adds client) → proxy B (adds A) → API
    const xff = '198.51.100.1, 10.0.0.2';
    expect(clientIpResolver(1)(request('10.0.0.3', xff))).toBe('10.0.0.2');
    expect(clientIpResolver(2)(request('10.0.0.3', xff))).toBe('198.51.100.1');
    // A spoofed entry further left is never reached.
    expect(clientIpResolver(2)(request('10.0.0.3', `6.6.6.6, ${xff}`))).toBe('198.51.100.1');
  });

  it('believes only the listed proxies', () => {
    const resolve = clientIpResolver(['127.0.0.1', '10.0.0.0/8']);
    expect(resolve(request('127.0.0.1', '6.6.6.6, 198.51.100.1, 10.0.0.2'))).toBe('198.51.100.1');
    // A client that is not a listed proxy is taken at its word for nothing.
    expect(resolve(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });

  it('falls back to the socket for junk or short chains', () => {
    expect(clientIpResolver(1)(request('10.0.0.3', 'not-an-ip'))).toBe('10.0.0.3');
    expect(clientIpResolver(5)(request('10.0.0.3', '198.51.100.1'))).toBe('198.51.100.1');
    expect(clientIpResolver(1)(request('10.0.0.3', ''))).toBe('10.0.0.3');
  });
});
