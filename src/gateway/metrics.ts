import type { GatewayStats } from './gateway.ts';

const HELP: Record<keyof GatewayStats, [type: 'counter' | 'gauge', help: string]> = {
  connectionsOpen: ['gauge', 'SSH connections open now.'],
  connectionsAccepted: ['counter', 'TCP connections accepted from the operator networks.'],
  connectionsRefused: ['counter', 'TCP connections dropped before SSH (outside networks, banned, rate).'],
  authAccepted: ['counter', 'Logins that passed key and TOTP.'],
  authRefused: ['counter', 'Authentication requests refused.'],
  forwardsOpen: ['gauge', 'Forwards (ssh -J sessions) open now.'],
  forwardsOpened: ['counter', 'Forwards opened.'],
  forwardsRefused: ['counter', 'Forwards refused (not granted, wrong port, unreachable).'],
  bytesToTargets: ['counter', 'Bytes forwarded from operators to hosts.'],
  bytesFromTargets: ['counter', 'Bytes forwarded from hosts to operators.'],
  bannedSources: ['gauge', 'Source addresses banned now.'],
  bannedUsers: ['gauge', 'Users banned now.'],
};

/** The gateway's counters in Prometheus text format, for /metrics. */
export function gatewayMetricsText(stats: GatewayStats): string {
  const lines: string[] = [];
  for (const [key, [type, help]] of Object.entries(HELP) as [keyof GatewayStats, [string, string]][]) {
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const name = `steward_gateway_${snake}${type === 'counter' ? '_total' : ''}`;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${stats[key]}`);
  }
  return `${lines.join('\n')}\n`;
}
