import { describe, expect, it } from 'vitest';
import { ipLimitKey } from './ip-limit-key.ts';

describe('ipLimitKey', () => {
  it('counts an IPv4 address as itself', () => {
    expect(ipLimitKey('203.0.113.7', 64)).toBe('203.0.113.7');
    expect(ipLimitKey('::ffff:203.0.113.7', 64)).toBe('203.0.113.7');
  });

  // Regression: every address of one host's /64 had a budget of its own.
  it('counts an IPv6 address by its network', () => {
    const key = ipLimitKey('2001:db8:1:2:aaaa::1', 64);
    expect(key).toBe('2001:db8:1:2::/64');
    expect(ipLimitKey('2001:db8:1:2:ffff:ffff:ffff:ffff', 64)).toBe(key);
    expect(ipLimitKey('2001:0db8:0001:0002:0000:0000:0000:0009', 64)).toBe(key);
    expect(ipLimitKey('2001:db8:1:3::1', 64)).not.toBe(key);
    expect(ipLimitKey('2001:db8:1:3::1', 48)).toBe('2001:db8:1::/48');
    expect(ipLimitKey('2001:db8::1', 128)).toBe('2001:db8::1/128');
  });

  it('keys a missing address as one unknown client', () => {
    expect(ipLimitKey(undefined, 64)).toBe('unknown');
  });
});
