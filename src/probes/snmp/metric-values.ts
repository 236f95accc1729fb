import type { HostMetrics } from './host-metrics.ts';

/** One named, unit-carrying figure: what a check thresholds and what the store keeps as a series. */
export interface MetricValue {
  /** e.g. cpu.usage, load.1, memory.used_percent, disk./var.used_percent, if.eth0.in_bps */
  name: string;
  value: number;
  /** '%', 'B', 's', 'b/s' (bits per second), '/s' (events per second), '' (plain number). */
  unit: string;
}

/**
 * Flattens host metrics into named values, in a stable order. Pure. Names are
 * `<group>.<what>` or `<group>.<object>.<what>` with the mount or interface name verbatim as the
 * object (so `disk./.used_percent`, `if.eth0.in_bps`); a value the poll could not determine (a
 * rate on the first poll, say) is left out rather than reported as 0.
 */
export function hostMetricValues(metrics: HostMetrics): MetricValue[] {
  const out: MetricValue[] = [];
  const add = (name: string, value: number | undefined, unit: string): void => {
    if (value !== undefined && Number.isFinite(value)) out.push({ name, value, unit });
  };
  add('uptime.seconds', metrics.uptimeSeconds, 's');
  // Only with an uptime: no answer from the agent is not "not rebooted".
  if (metrics.uptimeSeconds !== undefined) add('uptime.rebooted', metrics.rebooted ? 1 : 0, '');
  add('snmp.agent_uptime.seconds', metrics.agentUptimeSeconds, 's');
  const cpu = metrics.cpu;
  if (cpu) {
    add('cpu.usage', cpu.usagePercent, '%');
    add('cpu.user', cpu.userPercent, '%');
    add('cpu.system', cpu.systemPercent, '%');
    add('cpu.iowait', cpu.iowaitPercent, '%');
    add('cpu.steal', cpu.stealPercent, '%');
    add('cpu.idle', cpu.idlePercent, '%');
    add('cpu.cores', cpu.cores, '');
  }
  if (metrics.load) {
    add('load.1', metrics.load.one, '');
    add('load.5', metrics.load.five, '');
    add('load.15', metrics.load.fifteen, '');
  }
  const mem = metrics.memory;
  if (mem) {
    add('memory.used_percent', mem.usedPercent, '%');
    add('memory.used_bytes', mem.usedBytes, 'B');
    add('memory.available_bytes', mem.availableBytes, 'B');
    add('memory.total_bytes', mem.totalBytes, 'B');
    add('memory.buffers_bytes', mem.buffersBytes, 'B');
    add('memory.cached_bytes', mem.cachedBytes, 'B');
  }
  if (metrics.swap) {
    add('swap.used_percent', metrics.swap.usedPercent, '%');
    add('swap.used_bytes', metrics.swap.usedBytes, 'B');
    add('swap.total_bytes', metrics.swap.totalBytes, 'B');
  }
  for (const d of metrics.disks) {
    add(`disk.${d.mount}.used_percent`, d.usedPercent, '%');
    add(`disk.${d.mount}.used_bytes`, d.usedBytes, 'B');
    add(`disk.${d.mount}.available_bytes`, d.availableBytes, 'B');
    add(`disk.${d.mount}.total_bytes`, d.totalBytes, 'B');
  }
  for (const i of metrics.interfaces) {
    const bits = (bytes: number | undefined): number | undefined =>
      bytes === undefined ? undefined : bytes * 8;
    add(`if.${i.name}.up`, i.up === undefined ? undefined : i.up ? 1 : 0, '');
    add(`if.${i.name}.in_bps`, bits(i.inBytesPerSecond), 'b/s');
    add(`if.${i.name}.out_bps`, bits(i.outBytesPerSecond), 'b/s');
    add(`if.${i.name}.in_bytes_per_second`, i.inBytesPerSecond, 'B/s');
    add(`if.${i.name}.out_bytes_per_second`, i.outBytesPerSecond, 'B/s');
    add(`if.${i.name}.in_errors_per_second`, i.inErrorsPerSecond, '/s');
    add(`if.${i.name}.out_errors_per_second`, i.outErrorsPerSecond, '/s');
    add(`if.${i.name}.in_discards_per_second`, i.inDiscardsPerSecond, '/s');
    add(`if.${i.name}.out_discards_per_second`, i.outDiscardsPerSecond, '/s');
    add(`if.${i.name}.speed_bps`, i.speedBitsPerSecond, 'b/s');
  }
  return out;
}
