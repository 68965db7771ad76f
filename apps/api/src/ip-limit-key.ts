import ipaddr from 'ipaddr.js';

/**
 * What per-IP limits count an address as: an IPv4 address itself; an IPv6
 * address by its network of `ipv6Prefix` bits, since one host commonly owns
 * a /64 or more and could otherwise take a fresh address for every attempt
 * (Better Auth does the same).
 */
export function ipLimitKey(ip: string | undefined, ipv6Prefix: number): string {
  if (ip === undefined) return 'unknown';
  if (!ipaddr.IPv6.isValid(ip)) return ip;
  const address = ipaddr.IPv6.parse(ip);
  if (address.isIPv4MappedAddress()) return address.toIPv4Address().toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${ipv6Prefix}`);
  return `${network.toString()}/${ipv6Prefix}`;
}
