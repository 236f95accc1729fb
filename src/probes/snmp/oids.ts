/**
 * The OIDs the host poll reads, numerically: Debian ships snmpd without most MIB files, and no
 * MIB parsing is needed to read a handful of well-known objects.
 */

/** Scalars: each is fetched as a GetBulk non-repeater from the OID just before it. */
export const SCALARS = {
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  hrSystemUptime: '1.3.6.1.2.1.25.1.1.0',
  // UCD-SNMP-MIB memory group (KB); the X variants are 64-bit (hosts over 2 TB).
  memTotalSwap: '1.3.6.1.4.1.2021.4.3.0',
  memAvailSwap: '1.3.6.1.4.1.2021.4.4.0',
  memTotalReal: '1.3.6.1.4.1.2021.4.5.0',
  memAvailReal: '1.3.6.1.4.1.2021.4.6.0',
  memShared: '1.3.6.1.4.1.2021.4.13.0',
  memBuffer: '1.3.6.1.4.1.2021.4.14.0',
  memCached: '1.3.6.1.4.1.2021.4.15.0',
  memTotalRealX: '1.3.6.1.4.1.2021.4.20.0',
  memAvailRealX: '1.3.6.1.4.1.2021.4.21.0',
  memSysAvail: '1.3.6.1.4.1.2021.4.27.0',
  // UCD-SNMP-MIB systemStats raw CPU tick counters (Counter32).
  ssCpuRawUser: '1.3.6.1.4.1.2021.11.50.0',
  ssCpuRawNice: '1.3.6.1.4.1.2021.11.51.0',
  ssCpuRawSystem: '1.3.6.1.4.1.2021.11.52.0',
  ssCpuRawIdle: '1.3.6.1.4.1.2021.11.53.0',
  ssCpuRawWait: '1.3.6.1.4.1.2021.11.54.0',
  ssCpuRawKernel: '1.3.6.1.4.1.2021.11.55.0',
  ssCpuRawInterrupt: '1.3.6.1.4.1.2021.11.56.0',
  ssCpuRawSoftIRQ: '1.3.6.1.4.1.2021.11.61.0',
  ssCpuRawSteal: '1.3.6.1.4.1.2021.11.64.0',
  ssCpuNumCpus: '1.3.6.1.4.1.2021.11.67.0',
  // laLoad.1/.2/.3: the 1, 5 and 15 minute load averages, as strings ("0.31").
  laLoad1: '1.3.6.1.4.1.2021.10.1.3.1',
  laLoad5: '1.3.6.1.4.1.2021.10.1.3.2',
  laLoad15: '1.3.6.1.4.1.2021.10.1.3.3',
} as const;

export type ScalarName = keyof typeof SCALARS;

/** Table columns, walked together in lockstep by GetBulk. */
export const COLUMNS = {
  hrProcessorLoad: '1.3.6.1.2.1.25.3.3.1.2',
  hrStorageType: '1.3.6.1.2.1.25.2.3.1.2',
  hrStorageDescr: '1.3.6.1.2.1.25.2.3.1.3',
  hrStorageAllocationUnits: '1.3.6.1.2.1.25.2.3.1.4',
  hrStorageSize: '1.3.6.1.2.1.25.2.3.1.5',
  hrStorageUsed: '1.3.6.1.2.1.25.2.3.1.6',
  dskPath: '1.3.6.1.4.1.2021.9.1.2',
  dskDevice: '1.3.6.1.4.1.2021.9.1.3',
  dskTotalLow: '1.3.6.1.4.1.2021.9.1.11',
  dskTotalHigh: '1.3.6.1.4.1.2021.9.1.12',
  dskAvailLow: '1.3.6.1.4.1.2021.9.1.13',
  dskAvailHigh: '1.3.6.1.4.1.2021.9.1.14',
  dskUsedLow: '1.3.6.1.4.1.2021.9.1.15',
  dskUsedHigh: '1.3.6.1.4.1.2021.9.1.16',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifInOctets: '1.3.6.1.2.1.2.2.1.10',
  ifInDiscards: '1.3.6.1.2.1.2.2.1.13',
  ifInErrors: '1.3.6.1.2.1.2.2.1.14',
  ifOutOctets: '1.3.6.1.2.1.2.2.1.16',
  ifOutDiscards: '1.3.6.1.2.1.2.2.1.19',
  ifOutErrors: '1.3.6.1.2.1.2.2.1.20',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  ifHighSpeed: '1.3.6.1.2.1.31.1.1.1.15',
} as const;

export type ColumnName = keyof typeof COLUMNS;

/** hrStorageTypes that are file systems (hrStorageFixedDisk, NetworkDisk, RemovableDisk, FlashMemory, RamDisk). */
export const HR_STORAGE_DISK_TYPES = new Set([
  '1.3.6.1.2.1.25.2.1.4',
  '1.3.6.1.2.1.25.2.1.5',
  '1.3.6.1.2.1.25.2.1.8',
  '1.3.6.1.2.1.25.2.1.9',
  '1.3.6.1.2.1.25.2.1.10',
]);

/** The OID lexicographically just before `oid`, so that GetBulk's "next" lands on it. */
export function oidBefore(oid: string): string {
  const parts = oid.split('.');
  const last = Number(parts.at(-1));
  if (last > 0) {
    parts[parts.length - 1] = String(last - 1);
    // Asking for next(x.(n-1)) could land inside x.(n-1)'s subtree: append a huge arc to skip it.
    return `${parts.join('.')}.4294967295`;
  }
  return parts.slice(0, -1).join('.');
}
