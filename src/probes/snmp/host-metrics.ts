import { counterDelta, perSecond, TWO_32, uptimeWentBackwards } from './counters.ts';
import type { CpuRaw, RawInterface, RawSample } from './raw-sample.ts';

export interface CpuMetrics {
  /** Busy share of all CPUs: 100 - idle - iowait. */
  usagePercent: number;
  userPercent?: number;
  systemPercent?: number;
  iowaitPercent?: number;
  stealPercent?: number;
  idlePercent?: number;
  cores?: number;
  /** ssCpuRaw: tick counters between two polls; hrProcessorLoad: the agent's one-minute average. */
  source: 'ssCpuRaw' | 'hrProcessorLoad';
}

export interface MemoryMetrics {
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
  usedPercent: number;
  buffersBytes?: number;
  cachedBytes?: number;
}

export interface SwapMetrics {
  totalBytes: number;
  usedBytes: number;
  usedPercent: number;
}

export interface DiskMetrics {
  mount: string;
  device?: string;
  totalBytes: number;
  usedBytes: number;
  /** Space an unprivileged user can still use (dskTable only; hrStorage does not say). */
  availableBytes?: number;
  /** As df and check_disk count it: used / (used + available) when available is known. */
  usedPercent: number;
  source: 'dskTable' | 'hrStorage';
}

export interface InterfaceMetrics {
  name: string;
  up?: boolean;
  speedBitsPerSecond?: number;
  inBytesPerSecond?: number;
  outBytesPerSecond?: number;
  inErrorsPerSecond?: number;
  outErrorsPerSecond?: number;
  inDiscardsPerSecond?: number;
  outDiscardsPerSecond?: number;
}

/** One host's resource figures from one poll (rates over the time since the previous poll). */
export interface HostMetrics {
  at: number;
  /** Host uptime (hrSystemUptime), or the agent's (sysUpTime) when the host's is not available. */
  uptimeSeconds?: number;
  agentUptimeSeconds?: number;
  /** The host's uptime went backwards since the previous poll. */
  rebooted: boolean;
  /** The agent's uptime went backwards (restart or reboot): counters were re-based, no rates this poll. */
  agentRestarted: boolean;
  cpu?: CpuMetrics;
  load?: { one: number; five: number; fifteen: number };
  memory?: MemoryMetrics;
  swap?: SwapMetrics;
  disks: DiskMetrics[];
  interfaces: InterfaceMetrics[];
}

/** What the next poll needs from this one to compute rates; plain data (JSON-safe). */
export interface HostPollState {
  at: number;
  sysUpTimeTicks?: number;
  hrSystemUptimeTicks?: number;
  cpuRaw?: CpuRaw;
  /** By interface name: ifIndex may be renumbered by an agent restart, names stay. */
  interfaces: Record<string, Omit<RawInterface, 'name' | 'index' | 'up' | 'speedMbps'>>;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function clampPercent(n: number): number {
  return Math.min(100, Math.max(0, n));
}

/** CPU shares from two ssCpuRaw readings; undefined when they do not span any tick or look reset. */
export function cpuFromRaw(
  prev: CpuRaw,
  cur: CpuRaw,
  elapsedMs: number,
  cores = 1,
): Omit<CpuMetrics, 'source'> | undefined {
  // Ticks are USER_HZ (100/s) per CPU; a wrapped delta beyond twice that is a reset, not a wrap.
  const maxDelta = (elapsedMs / 1000) * 100 * Math.max(1, cores) * 2 + 1000;
  const d = {} as Record<keyof CpuRaw, number>;
  for (const key of Object.keys(cur) as (keyof CpuRaw)[]) {
    const delta = counterDelta(prev[key], cur[key], 32, maxDelta);
    if (delta === undefined) return undefined;
    d[key] = delta;
  }
  // net-snmp on Linux reports system, interrupt and softirq separately (kernel stays 0); on the
  // BSDs and Solaris ssCpuRawSystem already includes kernel+interrupt (or kernel+wait), which must
  // not be counted twice.
  const linux = cur.kernel === 0 && prev.kernel === 0;
  const total = linux
    ? d.user + d.nice + d.system + d.idle + d.wait + d.interrupt + d.softirq + d.steal
    : d.user + d.nice + d.system + d.idle + d.steal;
  if (total <= 0) return undefined;
  const pct = (n: number): number => round(clampPercent((n / total) * 100));
  const waitShare = linux ? d.wait : 0;
  return {
    usagePercent: pct(total - d.idle - waitShare),
    userPercent: pct(d.user + d.nice),
    systemPercent: pct(linux ? d.system + d.interrupt + d.softirq : d.system),
    iowaitPercent: pct(waitShare),
    stealPercent: pct(d.steal),
    idlePercent: pct(d.idle),
  };
}

function interfaceRates(
  prev: HostPollState['interfaces'][string] | undefined,
  cur: RawInterface,
  elapsedMs: number,
): Partial<InterfaceMetrics> {
  if (!prev || prev.octetBits !== cur.octetBits) return {};
  // A wrap of a 32-bit octet counter is believable only up to the link speed (+20%).
  const maxOctets = cur.speedMbps ? ((cur.speedMbps * 1e6) / 8) * (elapsedMs / 1000) * 1.2 : TWO_32 / 2;
  const rate = (
    p: number | undefined,
    c: number | undefined,
    bits: 32 | 64,
    max?: number,
  ): number | undefined =>
    p === undefined || c === undefined ? undefined : perSecond(counterDelta(p, c, bits, max), elapsedMs);
  const out: Partial<InterfaceMetrics> = {};
  const set = (key: keyof InterfaceMetrics, value: number | undefined): void => {
    if (value !== undefined) (out as Record<string, number>)[key] = round(value);
  };
  set('inBytesPerSecond', rate(prev.inOctets, cur.inOctets, cur.octetBits, maxOctets));
  set('outBytesPerSecond', rate(prev.outOctets, cur.outOctets, cur.octetBits, maxOctets));
  // Error and discard counters are Counter32 in the ifTable; a wrap of them is rare but real.
  set('inErrorsPerSecond', rate(prev.inErrors, cur.inErrors, 32, TWO_32 / 2));
  set('outErrorsPerSecond', rate(prev.outErrors, cur.outErrors, 32, TWO_32 / 2));
  set('inDiscardsPerSecond', rate(prev.inDiscards, cur.inDiscards, 32, TWO_32 / 2));
  set('outDiscardsPerSecond', rate(prev.outDiscards, cur.outDiscards, 32, TWO_32 / 2));
  return out;
}

/**
 * Turns one poll's raw readings (and the previous poll's state) into host metrics and the state
 * for the next poll. Pure: same inputs, same outputs. Rates need a previous poll; after a reboot
 * or an agent restart the counters are re-based and this poll reports no rates rather than wrong
 * ones.
 */
export function computeHostMetrics(
  sample: RawSample,
  previous?: HostPollState,
): { metrics: HostMetrics; state: HostPollState } {
  const elapsedMs = previous ? sample.at - previous.at : 0;
  const rebooted =
    previous?.hrSystemUptimeTicks !== undefined &&
    sample.hrSystemUptimeTicks !== undefined &&
    uptimeWentBackwards(previous.hrSystemUptimeTicks, sample.hrSystemUptimeTicks, elapsedMs);
  const agentRestarted =
    rebooted ||
    (previous?.sysUpTimeTicks !== undefined &&
      sample.sysUpTimeTicks !== undefined &&
      uptimeWentBackwards(previous.sysUpTimeTicks, sample.sysUpTimeTicks, elapsedMs));
  const comparable = previous !== undefined && !agentRestarted && elapsedMs > 0;

  const metrics: HostMetrics = { at: sample.at, rebooted, agentRestarted, disks: [], interfaces: [] };
  const hostTicks = sample.hrSystemUptimeTicks ?? sample.sysUpTimeTicks;
  if (hostTicks !== undefined) metrics.uptimeSeconds = round(hostTicks / 100);
  if (sample.sysUpTimeTicks !== undefined) metrics.agentUptimeSeconds = round(sample.sysUpTimeTicks / 100);

  const cores = sample.cpuCount ?? (sample.processorLoads.length || undefined);
  const fromRaw =
    comparable && previous.cpuRaw && sample.cpuRaw
      ? cpuFromRaw(previous.cpuRaw, sample.cpuRaw, elapsedMs, cores)
      : undefined;
  if (fromRaw) {
    metrics.cpu = { ...fromRaw, source: 'ssCpuRaw', ...(cores ? { cores } : {}) };
  } else if (sample.processorLoads.length > 0) {
    const average = sample.processorLoads.reduce((a, b) => a + b, 0) / sample.processorLoads.length;
    metrics.cpu = {
      usagePercent: round(clampPercent(average)),
      source: 'hrProcessorLoad',
      ...(cores ? { cores } : {}),
    };
  }

  if (sample.load) metrics.load = sample.load;

  const mem = sample.memory;
  if (mem) {
    const availableKb =
      mem.availableKb !== undefined && mem.availableKb > 0
        ? Math.min(mem.availableKb, mem.totalKb)
        : Math.min(mem.totalKb, mem.freeKb + (mem.buffersKb ?? 0) + (mem.cachedKb ?? 0));
    const usedKb = Math.max(0, mem.totalKb - availableKb);
    metrics.memory = {
      totalBytes: mem.totalKb * 1024,
      usedBytes: usedKb * 1024,
      availableBytes: availableKb * 1024,
      usedPercent: round((usedKb / mem.totalKb) * 100),
      ...(mem.buffersKb !== undefined ? { buffersBytes: mem.buffersKb * 1024 } : {}),
      ...(mem.cachedKb !== undefined ? { cachedBytes: mem.cachedKb * 1024 } : {}),
    };
    if (mem.swapTotalKb !== undefined && mem.swapFreeKb !== undefined) {
      const usedSwapKb = Math.max(0, mem.swapTotalKb - mem.swapFreeKb);
      metrics.swap = {
        totalBytes: mem.swapTotalKb * 1024,
        usedBytes: usedSwapKb * 1024,
        usedPercent: mem.swapTotalKb > 0 ? round((usedSwapKb / mem.swapTotalKb) * 100) : 0,
      };
    }
  }

  const seen = new Set<string>();
  for (const d of sample.disks) {
    if (seen.has(d.mount)) continue;
    seen.add(d.mount);
    const base = d.usedBytes + d.availableBytes;
    metrics.disks.push({
      mount: d.mount,
      ...(d.device ? { device: d.device } : {}),
      totalBytes: d.totalBytes,
      usedBytes: d.usedBytes,
      availableBytes: d.availableBytes,
      usedPercent: base > 0 ? round((d.usedBytes / base) * 100) : 0,
      source: 'dskTable',
    });
  }
  for (const s of sample.storage) {
    if (seen.has(s.mount)) continue;
    seen.add(s.mount);
    metrics.disks.push({
      mount: s.mount,
      totalBytes: s.totalBytes,
      usedBytes: s.usedBytes,
      usedPercent: s.totalBytes > 0 ? round((s.usedBytes / s.totalBytes) * 100) : 0,
      source: 'hrStorage',
    });
  }

  const state: HostPollState = { at: sample.at, interfaces: {} };
  if (sample.sysUpTimeTicks !== undefined) state.sysUpTimeTicks = sample.sysUpTimeTicks;
  if (sample.hrSystemUptimeTicks !== undefined) state.hrSystemUptimeTicks = sample.hrSystemUptimeTicks;
  if (sample.cpuRaw) state.cpuRaw = sample.cpuRaw;
  for (const iface of sample.interfaces) {
    const { name, index: _index, up, speedMbps, ...counters } = iface;
    state.interfaces[name] = counters;
    const m: InterfaceMetrics = { name };
    if (up !== undefined) m.up = up;
    if (speedMbps !== undefined) m.speedBitsPerSecond = speedMbps * 1e6;
    if (comparable) Object.assign(m, interfaceRates(previous.interfaces[name], iface, elapsedMs));
    metrics.interfaces.push(m);
  }
  return { metrics, state };
}
