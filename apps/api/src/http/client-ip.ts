import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';

/** Decides which X-Forwarded-For entries to believe; see `clientIpResolver`. */
export type ClientIp = (req: IncomingMessage) => string | undefined;

/**
 * The client's address: the socket's, unless trusted proxies stand in front
 * of the API, in which case X-Forwarded-For is read from the right, past the
 * entries those proxies added, by Express's rules (proxy-addr). `trust` is a
 * number of hops or a list of proxy addresses and ranges; 0 ignores the
 * header, which any client can write.
 */
export function clientIpResolver(trust: number | string[]): ClientIp {
  const socketOnly = trust === 0 || (Array.isArray(trust) && trust.length === 0);
  // A hop count trusts that many addresses from the socket inward, as Express does.
  const trusted =
    typeof trust === 'number' ? (_: string, hop: number) => hop < trust : proxyAddr.compile(trust);
  return (req) => {
    const socket = req.socket.remoteAddress;
    if (socket === undefined) return undefined;
    if (socketOnly) return unmapped(socket);
    const address = proxyAddr(req, trusted);
    return unmapped(isIP(address) ? address : socket);
  };
}

/** IPv4 clients of a dual-stack socket appear as ::ffff:1.2.3.4. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
