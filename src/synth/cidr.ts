import { isIPv4, isIPv6 } from 'node:net';

/** A parsed network. Synth keeps its own small parser so it depends on plain data only. */
export interface Network {
  address: string;
  prefix: number;
  family: 4 | 6;
  /** Canonical text, address/prefix. */
  text: string;
}

/** Parses "203.0.113.0/24" or "2001:db8::/32"; null when it is not a CIDR. */
export function parseCidr(text: string): Network | null {
  const parts = text.split('/');
  if (parts.length !== 2) return null;
  const [address, prefixText] = parts as [string, string];
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : null;
  if (family === null || !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > (family === 4 ? 32 : 128)) return null;
  return { address, prefix, family, text: `${address}/${prefix}` };
}

/** An address or a CIDR: a bare address becomes a one-address network (/32 or /128). */
export function parseAddressOrCidr(text: string): Network | null {
  if (isIPv4(text)) return { address: text, prefix: 32, family: 4, text: `${text}/32` };
  if (isIPv6(text)) return { address: text, prefix: 128, family: 6, text: `${text}/128` };
  return parseCidr(text);
}

/** The network address of an IPv4 network (10.86.80.0/18 → 10.86.64.0). */
export function ipv4NetworkAddress(network: Network): string {
  const value = network.address.split('.').reduce((v, octet) => v * 256 + Number(octet), 0);
  const size = 2 ** (32 - network.prefix);
  const base = value - (value % size);
  return [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.');
}

/** True when an IPv4 address lies in the network (an IPv6 network holds no IPv4 address here). */
export function containsIpv4(network: Network, address: string): boolean {
  if (network.family !== 4 || !isIPv4(address)) return false;
  const single = parseAddressOrCidr(address);
  return (
    single !== null &&
    ipv4NetworkAddress({ ...single, prefix: network.prefix }) === ipv4NetworkAddress(network)
  );
}

/** True for 0.0.0.0/0 and ::/0 style networks that admit everyone. */
export function isWholeInternet(network: Network): boolean {
  return network.prefix === 0;
}
