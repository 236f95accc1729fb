import type { SnmpValue, WalkResult } from './bulk-walk.ts';
import { COLUMNS, HR_STORAGE_DISK_TYPES, SCALARS, type ScalarName } from './oids.ts';

/** What one poll read from an agent, as plain numbers and strings (no rates yet). */
export interface RawSample {
  /** Epoch ms when the poll's answer arrived. */
  at: number;
  sysUpTimeTicks?: number;
  hrSystemUptimeTicks?: number;
  cpuRaw?: CpuRaw;
  cpuCount?: number;
  /** hrProcessorLoad per processor, % over the last minute. */
  processorLoads: number[];
  load?: { one: number; five: number; fifteen: number };
  memory?: RawMemory;
  /** File systems from hrStorageTable. */
  storage: { mount: string; totalBytes: number; usedBytes: number }[];
  /** File systems from UCD dskTable (only those snmpd.conf lists with disk/includeAllDisks). */
  disks: { mount: string; device: string; totalBytes: number; availableBytes: number; usedBytes: number }[];
  interfaces: RawInterface[];
}

/** UCD ssCpuRaw* tick counters (Counter32). */
export interface CpuRaw {
  user: number;
  nice: number;
  system: number;
  idle: number;
  wait: number;
  kernel: number;
  interrupt: number;
  softirq: number;
  steal: number;
}

export interface RawMemory {
  totalKb: number;
  /** memAvailReal: free RAM. */
  freeKb: number;
  /** memSysAvail: the kernel's MemAvailable, when the agent has it (net-snmp >= 5.8). */
  availableKb?: number;
  buffersKb?: number;
  cachedKb?: number;
  sharedKb?: number;
  swapTotalKb?: number;
  swapFreeKb?: number;
}

export interface RawInterface {
  index: string;
  name: string;
  up?: boolean;
  speedMbps?: number;
  /** Octet counters and whether they are the 64-bit (ifHC*) ones. */
  inOctets?: number;
  outOctets?: number;
  octetBits: 32 | 64;
  inErrors?: number;
  outErrors?: number;
  inDiscards?: number;
  outDiscards?: number;
}

/** Any numeric SNMP value as a JS number (Counter64 arrives as big-endian bytes). */
export function toNumber(value: SnmpValue | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) {
    let n = 0;
    for (const byte of value) n = n * 256 + byte;
    return n;
  }
  if (typeof value === 'string') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function toText(value: SnmpValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** Numbers as strings (laLoad "0.31", Counter64 as bytes) read as numbers. */
function loadNumber(value: SnmpValue | undefined): number | undefined {
  const text = toText(value);
  if (text === undefined) return undefined;
  const n = Number.parseFloat(text);
  return Number.isFinite(n) ? n : undefined;
}

function sortedIndexes(column: Map<string, SnmpValue> | undefined): string[] {
  if (!column) return [];
  return [...column.keys()].sort((a, b) => Number(a) - Number(b));
}

/** Combines a dskTable High/Low pair (each a 32-bit half of a KB count). */
function highLow(high: SnmpValue | undefined, low: SnmpValue | undefined): number | undefined {
  const h = toNumber(high);
  const l = toNumber(low);
  if (h === undefined || l === undefined) return undefined;
  return h * 2 ** 32 + (l < 0 ? l + 2 ** 32 : l);
}

export function rawSampleFrom(walk: WalkResult, at: number): RawSample {
  const scalar = (name: ScalarName): number | undefined => toNumber(walk.scalars.get(SCALARS[name]));
  const col = (name: keyof typeof COLUMNS): Map<string, SnmpValue> =>
    walk.columns.get(COLUMNS[name]) ?? new Map();

  const sample: RawSample = { at, processorLoads: [], storage: [], disks: [], interfaces: [] };
  const sys = scalar('sysUpTime');
  if (sys !== undefined) sample.sysUpTimeTicks = sys;
  const hr = scalar('hrSystemUptime');
  if (hr !== undefined) sample.hrSystemUptimeTicks = hr;

  const user = scalar('ssCpuRawUser');
  const system = scalar('ssCpuRawSystem');
  const idle = scalar('ssCpuRawIdle');
  if (user !== undefined && system !== undefined && idle !== undefined) {
    sample.cpuRaw = {
      user,
      nice: scalar('ssCpuRawNice') ?? 0,
      system,
      idle,
      wait: scalar('ssCpuRawWait') ?? 0,
      kernel: scalar('ssCpuRawKernel') ?? 0,
      interrupt: scalar('ssCpuRawInterrupt') ?? 0,
      softirq: scalar('ssCpuRawSoftIRQ') ?? 0,
      steal: scalar('ssCpuRawSteal') ?? 0,
    };
  }
  const cpus = scalar('ssCpuNumCpus');
  if (cpus !== undefined && cpus > 0) sample.cpuCount = cpus;
  const loads = col('hrProcessorLoad');
  for (const i of sortedIndexes(loads)) {
    const v = toNumber(loads.get(i));
    if (v !== undefined) sample.processorLoads.push(v);
  }

  const one = loadNumber(walk.scalars.get(SCALARS.laLoad1));
  const five = loadNumber(walk.scalars.get(SCALARS.laLoad5));
  const fifteen = loadNumber(walk.scalars.get(SCALARS.laLoad15));
  if (one !== undefined && five !== undefined && fifteen !== undefined) sample.load = { one, five, fifteen };

  const totalKb = scalar('memTotalRealX') ?? scalar('memTotalReal');
  const freeKb = scalar('memAvailRealX') ?? scalar('memAvailReal');
  if (totalKb !== undefined && freeKb !== undefined && totalKb > 0) {
    const memory: RawMemory = { totalKb, freeKb };
    const optional: [keyof RawMemory, ScalarName][] = [
      ['availableKb', 'memSysAvail'],
      ['buffersKb', 'memBuffer'],
      ['cachedKb', 'memCached'],
      ['sharedKb', 'memShared'],
      ['swapTotalKb', 'memTotalSwap'],
      ['swapFreeKb', 'memAvailSwap'],
    ];
    for (const [field, name] of optional) {
      const v = scalar(name);
      if (v !== undefined) memory[field] = v;
    }
    sample.memory = memory;
  }

  const types = col('hrStorageType');
  const descrs = col('hrStorageDescr');
  const units = col('hrStorageAllocationUnits');
  const sizes = col('hrStorageSize');
  const useds = col('hrStorageUsed');
  for (const i of sortedIndexes(types)) {
    if (!HR_STORAGE_DISK_TYPES.has(toText(types.get(i)) ?? '')) continue;
    const mount = toText(descrs.get(i));
    const unit = toNumber(units.get(i));
    const size = toNumber(sizes.get(i));
    const used = toNumber(useds.get(i));
    if (!mount || unit === undefined || size === undefined || used === undefined) continue;
    // hrStorageSize/Used are Integer32: negative when a big file system overflows them.
    const fix = (n: number): number => (n < 0 ? n + 2 ** 32 : n);
    sample.storage.push({ mount, totalBytes: fix(size) * unit, usedBytes: fix(used) * unit });
  }

  const paths = col('dskPath');
  for (const i of sortedIndexes(paths)) {
    const mount = toText(paths.get(i));
    const total = highLow(col('dskTotalHigh').get(i), col('dskTotalLow').get(i));
    const avail = highLow(col('dskAvailHigh').get(i), col('dskAvailLow').get(i));
    const used = highLow(col('dskUsedHigh').get(i), col('dskUsedLow').get(i));
    if (!mount || total === undefined || avail === undefined || used === undefined) continue;
    sample.disks.push({
      mount,
      device: toText(col('dskDevice').get(i)) ?? '',
      totalBytes: total * 1024,
      availableBytes: avail * 1024,
      usedBytes: used * 1024,
    });
  }

  const names = col('ifName');
  const oper = col('ifOperStatus');
  const indexes = new Set([...sortedIndexes(names), ...sortedIndexes(oper)]);
  for (const i of [...indexes].sort((a, b) => Number(a) - Number(b))) {
    const hcIn = toNumber(col('ifHCInOctets').get(i));
    const hcOut = toNumber(col('ifHCOutOctets').get(i));
    const wide = hcIn !== undefined && hcOut !== undefined;
    const iface: RawInterface = {
      index: i,
      name: toText(names.get(i)) || `ifIndex${i}`,
      octetBits: wide ? 64 : 32,
    };
    const status = toNumber(oper.get(i));
    if (status !== undefined) iface.up = status === 1;
    const speed = toNumber(col('ifHighSpeed').get(i));
    if (speed !== undefined) iface.speedMbps = speed;
    const inOctets = wide ? hcIn : toNumber(col('ifInOctets').get(i));
    const outOctets = wide ? hcOut : toNumber(col('ifOutOctets').get(i));
    if (inOctets !== undefined) iface.inOctets = inOctets;
    if (outOctets !== undefined) iface.outOctets = outOctets;
    const counters: [keyof RawInterface, keyof typeof COLUMNS][] = [
      ['inErrors', 'ifInErrors'],
      ['outErrors', 'ifOutErrors'],
      ['inDiscards', 'ifInDiscards'],
      ['outDiscards', 'ifOutDiscards'],
    ];
    for (const [field, column] of counters) {
      const v = toNumber(col(column).get(i));
      if (v !== undefined) (iface as unknown as Record<string, number>)[field] = v;
    }
    sample.interfaces.push(iface);
  }
  return sample;
}
