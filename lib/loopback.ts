/**
 * Which hosts plain http may reach: this machine's loopback interface only. Anything else over
 * http lets whoever sits on the path serve their own JWKS, and with it sign any token.
 */
import { BlockList, isIP } from 'node:net';

const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK_ADDRESSES.addAddress('::1', 'ipv6');

/**
 * `hostname` as the WHATWG URL parser gives it (lower case, IPv4 in dotted decimal, IPv6 in
 * brackets) is `localhost` or a loopback address: 127.0.0.0/8, `::1`, or an IPv4-mapped
 * `::ffff:127.x.x.x` (BlockList matches those against the IPv4 subnet).
 */
export function isLoopbackHostname(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === 'localhost.') return true;
  const address = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const family = isIP(address);
  return family !== 0 && LOOPBACK_ADDRESSES.check(address, family === 6 ? 'ipv6' : 'ipv4');
}
