import { isIP } from 'node:net';

/**
 * The client's address: the socket's, unless `trustedProxies` proxies stand in
 * front of the API, in which case X-Forwarded-For is read from the right,
 * skipping the entries those proxies added (as Express's `trust proxy` does).
 * Without trusted proxies the header is ignored: any client can write it.
 */
export function clientIp(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: number,
): string | undefined {
  let address = socketAddress;
  if (trustedProxies > 0 && forwardedFor) {
    const chain = [String(forwardedFor).split(','), socketAddress ?? '']
      .flat()
      .map((entry) => entry.trim());
    const candidate = chain[Math.max(0, chain.length - 1 - trustedProxies)];
    if (candidate && isIP(candidate)) address = candidate;
  }
  // IPv4 clients of a dual-stack socket appear as ::ffff:1.2.3.4.
  return address?.startsWith('::ffff:') && isIP(address.slice(7)) === 4
    ? address.slice(7)
    : address;
}
