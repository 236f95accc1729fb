/**
 * SNMP: host resource metrics (CPU, load, memory, swap, disks, interfaces, uptime) read from the
 * snmpd that runs on hosts, in one bulk walk per host per interval, v2c or v3.
 */

export type { WalkResult } from './bulk-walk.ts';
export { counterDelta, perSecond, uptimeWentBackwards } from './counters.ts';
export type {
  CpuMetrics,
  DiskMetrics,
  HostMetrics,
  HostPollState,
  InterfaceMetrics,
  MemoryMetrics,
  SwapMetrics,
} from './host-metrics.ts';
export { computeHostMetrics, cpuFromRaw } from './host-metrics.ts';
export type { SharedPoll } from './host-poller.ts';
export { HostPoller, hostPoller } from './host-poller.ts';
export { snmpSamples, snmpSeriesName } from './metric-samples.ts';
export type { MetricValue } from './metric-values.ts';
export { hostMetricValues } from './metric-values.ts';
export type { HostPoll } from './poll-host.ts';
export { pollHostMetrics } from './poll-host.ts';
export type { CpuRaw, RawInterface, RawSample } from './raw-sample.ts';
export { rawSampleFrom } from './raw-sample.ts';
export type { SnmpRunOptions } from './run-snmp.ts';
export { runSnmp } from './run-snmp.ts';
export type { SnmpTarget, SnmpUser } from './snmp-target.ts';
export { describeTarget } from './snmp-target.ts';
