import type { SnmpAgentSpec } from '../core/model.ts';

export interface SnmpdConfInput {
  host: string;
  /** The address polls are sent to: the agent listens there only (all addresses when empty). */
  listenAddress: string;
  specFile: string;
  /** The agents the host's snmp checks use (one per distinct version/credential). */
  agents: SnmpAgentSpec[];
  /** Where polls come from: the only source a v2c community answers. */
  monitoringSubnet: string;
}

const AUTH = { sha: 'SHA', sha256: 'SHA-256', sha512: 'SHA-512', md5: 'MD5' } as const;
const PRIV = { aes: 'AES', aes256b: 'AES-256', des: 'DES' } as const;
const LEVEL = { authPriv: 'priv', authNoPriv: 'auth', noAuthNoPriv: 'noauth' } as const;

/** net-snmp's config reader takes a double-quoted token; a quote or backslash inside would end it early. */
function quoted(value: string, what: string): string {
  if (/["\\\n]/.test(value))
    throw new Error(`${what} contains a quote, backslash or newline, which snmpd.conf cannot carry`);
  return `"${value}"`;
}

function udpEndpoint(address: string, port: number): string {
  if (address === '') return String(port);
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * snmpd.conf: the agent on the port the checks poll, v2c communities answering only the
 * monitoring subnet, v3 users read-only at their level, and the disks the dskTable reports.
 */
export function renderSnmpdConf(input: SnmpdConfInput): string {
  const ports = [...new Set(input.agents.map((a) => a.port))];
  const lines = [
    `# snmpd.conf for ${input.host}, rendered by \`steward render host\` from ${input.specFile}.`,
    '# Re-render rather than edit. Secrets are references to environment variables, filled in by',
    '# install.sh on the host; this file holds none.',
    '',
    ...ports.map((port) => `agentAddress udp:${udpEndpoint(input.listenAddress, port)}`),
    '',
  ];
  for (const agent of input.agents) {
    if (agent.version === '2c') {
      lines.push(
        `# SNMP v2c, answered only from the monitoring subnet`,
        `rocommunity ${quoted(agent.community ?? '', 'the community')} ${input.monitoringSubnet}`,
        '',
      );
    } else if (agent.user) {
      const u = agent.user;
      const auth =
        u.level === 'noAuthNoPriv'
          ? ''
          : ` ${AUTH[u.authProtocol ?? 'sha']} ${quoted(u.authKey ?? '', 'the authKey')}`;
      const priv =
        u.level === 'authPriv'
          ? ` ${PRIV[u.privProtocol ?? 'aes']} ${quoted(u.privKey ?? '', 'the privKey')}`
          : '';
      lines.push(
        `# SNMP v3 user ${u.name} (${u.level}). USM cannot restrict sources: the host firewall admits`,
        '# SNMP from the monitoring subnet only (steward render host writes its nftables rules).',
        `createUser ${u.name}${auth}${priv}`,
        `rouser ${u.name} ${LEVEL[u.level]}`,
        '',
      );
    }
  }
  lines.push(
    "# Every mounted filesystem in the dskTable (per-mount disk checks); 10% is the table's own flag level.",
    'includeAllDisks 10%',
    '',
  );
  return lines.join('\n');
}
