import type { AuditShipperStats } from './audit-shipper.ts';
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

const SHIPPER_HELP: Record<
  keyof AuditShipperStats,
  [name: string, type: 'counter' | 'gauge', help: string, scale?: number]
> = {
  shipped: [
    'steward_gateway_audit_shipped_total',
    'counter',
    'Audit events the monitoring server acknowledged.',
  ],
  pending: ['steward_gateway_audit_pending', 'gauge', 'Audit events queued for the monitoring server.'],
  failures: [
    'steward_gateway_audit_ship_failures_total',
    'counter',
    'Failed attempts to ship audit events (the events stay queued).',
  ],
  lastShippedAt: [
    'steward_gateway_audit_last_shipped_timestamp_seconds',
    'gauge',
    'When the monitoring server last acknowledged audit events (0: not since start).',
    1000,
  ],
};

/** The gateway's counters (and its audit shipper's, when it ships) in Prometheus text format. */
export function gatewayMetricsText(stats: GatewayStats, shipper?: AuditShipperStats): string {
  const lines: string[] = [];
  if (shipper) {
    for (const [key, [name, type, help, scale]] of Object.entries(SHIPPER_HELP) as [
      keyof AuditShipperStats,
      [string, string, string, number?],
    ][]) {
      const value = (shipper[key] ?? 0) / (scale ?? 1);
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    }
  }
  for (const [key, [type, help]] of Object.entries(HELP) as [keyof GatewayStats, [string, string]][]) {
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const name = `steward_gateway_${snake}${type === 'counter' ? '_total' : ''}`;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${stats[key]}`);
  }
  return `${lines.join('\n')}\n`;
}
