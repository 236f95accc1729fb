import { BlockList, isIP } from 'node:net';

/** Decides, from the bare TCP peer address, whether a connection comes from the operators' networks. */
export interface SourceFilter {
  allows(address: string): boolean;
}

/**
 * Builds the filter from CIDR strings (`203.0.113.0/24`, `2001:db8::/32`, or a bare address for a
 * single host). A malformed entry throws: a typo here must stop the gateway, never widen it.
 */
export function operatorNetworkFilter(cidrs: readonly string[]): SourceFilter {
  const list = new BlockList();
  for (const [i, entry] of cidrs.entries()) {
    const [address = '', prefixText, extra] = entry.trim().split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) {
      throw new Error(`operatorNetworks[${i}] "${entry}" is not a CIDR; write it like 203.0.113.0/24`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new Error(`operatorNetworks[${i}] "${entry}": prefix length must be 0..${max}`);
    }
    list.addSubnet(address, prefix, type);
  }
  return {
    allows(peer) {
      const address = unmapIpv4(peer);
      const family = isIP(address);
      if (family === 0) return false;
      return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; the operator networks say a.b.c.d. */
export function unmapIpv4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}
