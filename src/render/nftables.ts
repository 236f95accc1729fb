import { isIP } from 'node:net';
import { checkAddressOrCidr } from './sshd-dropin.ts';

/**
 * nftables rules for one host (`/etc/nftables.d/steward.nft`, or `nft -f`): SSH only from the
 * bastion, NRPE and SNMP only from the monitoring subnet. Only these ports are filtered, the rest
 * of the host's traffic (its product ports, behind their own security groups) is left alone, so
 * the rules can be added to a host without knowing everything it serves. The table is created,
 * flushed and refilled, so applying the file twice gives the same rules.
 */
export interface NftablesInput {
  host: string;
  /** IP or CIDR the bastion's connections come from */
  bastionAddress: string;
  /** the host's SSH port(s); default [22] */
  sshPorts?: number[];
  /** CIDR the monitoring host polls from; without it NRPE and SNMP are closed to everyone */
  monitoringSubnet?: string;
  nrpePort?: number;
  /** The ports the host's snmpd listens on (one per distinct agent port); default [161]. */
  snmpPorts?: number[];
}

export const NFT_TABLE = 'steward_lockdown';

function saddr(cidr: string): string {
  const family = isIP(cidr.split('/')[0] ?? '');
  return family === 6 ? `ip6 saddr ${cidr}` : `ip saddr ${cidr}`;
}

export function renderNftables(input: NftablesInput): string {
  const bastion = checkAddressOrCidr(input.bastionAddress, `host ${input.host}: bastion address`);
  const monitoring =
    input.monitoringSubnet === undefined
      ? undefined
      : checkAddressOrCidr(input.monitoringSubnet, `host ${input.host}: monitoring subnet`);
  const sshPorts = input.sshPorts ?? [22];
  const set = (ports: number[]) => (ports.length === 1 ? String(ports[0]) : `{ ${ports.join(', ')} }`);
  const rule = (proto: 'tcp' | 'udp', port: string, from: string | undefined, what: string) => [
    ...(from === undefined ? [] : [`    ${proto} dport ${port} ${saddr(from)} accept comment "${what}"`]),
    `    ${proto} dport ${port} counter drop comment "${what}: nobody else"`,
  ];
  return [
    `# Steward: ${input.host} accepts SSH only from the bastion, NRPE and SNMP only from monitoring.`,
    '# Rendered by `steward render host`; edit the spec, not this file. Check: nft -c -f FILE',
    `table inet ${NFT_TABLE}`,
    `flush table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    '  chain input {',
    '    # Runs before the distribution\'s filter chains; "policy accept" leaves other ports alone.',
    '    type filter hook input priority filter - 10; policy accept;',
    '    iif "lo" accept',
    '    ct state established,related accept',
    ...rule('tcp', set(sshPorts), bastion, 'ssh from the bastion'),
    ...rule('tcp', String(input.nrpePort ?? 5666), monitoring, 'nrpe from monitoring'),
    ...rule('udp', set(input.snmpPorts ?? [161]), monitoring, 'snmp from monitoring'),
    '  }',
    '}',
    '',
  ].join('\n');
}
