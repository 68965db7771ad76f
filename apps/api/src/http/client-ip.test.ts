import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.ts';

describe('clientIp', () => {
  it('uses the socket address and ignores X-Forwarded-For by default', () => {
    expect(clientIp('203.0.113.7', '198.51.100.1', 0)).toBe('203.0.113.7');
  });

  it('unwraps IPv4-mapped IPv6 addresses', () => {
    expect(clientIp('::ffff:127.0.0.1', undefined, 0)).toBe('127.0.0.1');
    expect(clientIp('::1', undefined, 0)).toBe('::1');
  });

  it('believes as many hops as there are trusted proxies', () => {
    // client → proxy A (adds client) → proxy B (adds A) → API
    const xff = '198.51.100.1, 10.0.0.2';
    expect(clientIp('10.0.0.3', xff, 1)).toBe('10.0.0.2');
    expect(clientIp('10.0.0.3', xff, 2)).toBe('198.51.100.1');
    // A spoofed entry further left is never reached.
    expect(clientIp('10.0.0.3', `6.6.6.6, ${xff}`, 2)).toBe('198.51.100.1');
  });

  it('falls back to the socket for junk or short chains', () => {
    expect(clientIp('10.0.0.3', 'not-an-ip', 1)).toBe('10.0.0.3');
    expect(clientIp('10.0.0.3', '198.51.100.1', 5)).toBe('198.51.100.1');
    expect(clientIp('10.0.0.3', '', 1)).toBe('10.0.0.3');
  });
});
