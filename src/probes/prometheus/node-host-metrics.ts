/**
 * The node exporter series a host's standard graphs need (CPU, load, memory, swap, disk per
 * mount, network per device), picked from a scraped page. A node exporter page has ~500–2,000
 * series; this keeps a bounded few dozen so a node-exporter host costs about what an SNMP host
 * does. Pure.
 */
import { type ExpositionSample, selectSamples } from './parse-exposition.ts';

/** Mounts and devices beyond these are left out (the busiest devices and first mounts are kept). */
export const MAX_HOST_FILESYSTEMS = 32;
export const MAX_HOST_NETWORK_DEVICES = 32;

export const CPU_SECONDS = 'node_cpu_seconds_total';
export const LOAD = ['node_load1', 'node_load5', 'node_load15'] as const;
export const MEMORY = {
  total: 'node_memory_MemTotal_bytes',
  available: 'node_memory_MemAvailable_bytes',
  swapTotal: 'node_memory_SwapTotal_bytes',
  swapFree: 'node_memory_SwapFree_bytes',
} as const;
export const FILESYSTEM = {
  size: 'node_filesystem_size_bytes',
  free: 'node_filesystem_free_bytes',
  avail: 'node_filesystem_avail_bytes',
} as const;
export const NETWORK = {
  receive: 'node_network_receive_bytes_total',
  transmit: 'node_network_transmit_bytes_total',
} as const;

/**
 * Pseudo and in-memory filesystems: no disk to fill. (node exporter's own default exclusion list,
 * plus tmpfs and friends, which it reports.) overlay is a container's root: kept only at `/`.
 */
const NOT_A_DISK = new Set([
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devpts',
  'devtmpfs',
  'efivarfs',
  'erofs',
  'fuse.gvfsd-fuse',
  'fuse.lxcfs',
  'fuse.portal',
  'fusectl',
  'hugetlbfs',
  'iso9660',
  'mqueue',
  'nfsd',
  'nsfs',
  'proc',
  'procfs',
  'pstore',
  'ramfs',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'squashfs',
  'sysfs',
  'tmpfs',
  'tracefs',
]);

/** Kernel and container-runtime mounts (each container's root, each pod's volumes). */
const NOT_A_MOUNT = /^\/(proc|sys|dev|run)($|\/)|^\/var\/lib\/(docker|containers|kubelet)\//;

/** Loopback, per-container veth/Calico/Cilium pairs and ifb mirrors of real devices. */
const NOT_A_DEVICE = /^(lo|veth.*|cali.*|lxc.*|ifb\d+)$/;

/** Whether a filesystem sample is a real disk worth a graph. */
export function isRealFilesystem(labels: Record<string, string>): boolean {
  const fstype = labels.fstype ?? '';
  const mount = labels.mountpoint ?? '';
  if (mount === '' || NOT_A_MOUNT.test(mount)) return false;
  if (fstype === 'overlay') return mount === '/';
  return !NOT_A_DISK.has(fstype);
}

export function isRealNetworkDevice(device: string): boolean {
  return device !== '' && !NOT_A_DEVICE.test(device);
}

export interface NodeHostMetrics {
  /** What to store: the exporter's names and labels (CPU time summed over CPUs: `mode` only). */
  samples: ExpositionSample[];
  cpus: number;
  filesystems: string[];
  devices: string[];
  /** Groups the page has nothing of (a collector switched off, or not a node exporter). */
  missing: ('cpu' | 'load' | 'memory' | 'filesystem' | 'network')[];
  /** Mounts and devices over the caps, left out. */
  leftOut: number;
}

/** CPU seconds per mode summed over the CPUs: a counter still, and 8 series however many CPUs. */
function cpuByMode(page: string): { samples: ExpositionSample[]; cpus: number } {
  const byMode = new Map<string, number>();
  const cpus = new Set<string>();
  for (const s of selectSamples(page, CPU_SECONDS)) {
    const mode = s.labels.mode;
    if (mode === undefined || !Number.isFinite(s.value)) continue;
    cpus.add(s.labels.cpu ?? '');
    byMode.set(mode, (byMode.get(mode) ?? 0) + s.value);
  }
  const samples = [...byMode]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    // Sums of values with two decimals: round off the float noise so a counter never dips.
    .map(([mode, value]) => ({
      name: CPU_SECONDS,
      labels: { mode },
      value: Math.round(value * 1000) / 1000,
    }));
  return { samples, cpus: cpus.size };
}

function filesystems(page: string): { samples: ExpositionSample[]; mounts: string[]; leftOut: number } {
  const sizes = selectSamples(page, FILESYSTEM.size).filter((s) => isRealFilesystem(s.labels) && s.value > 0);
  // A device mounted at several places (bind mounts) is one disk: keep its shortest mount, as df does.
  const byDevice = new Map<string, ExpositionSample>();
  for (const s of sizes) {
    const device = s.labels.device || s.labels.mountpoint!;
    const seen = byDevice.get(device);
    if (!seen || s.labels.mountpoint!.length < seen.labels.mountpoint!.length) byDevice.set(device, s);
  }
  const kept = [...byDevice.values()]
    .sort((a, b) => (a.labels.mountpoint! < b.labels.mountpoint! ? -1 : 1))
    .slice(0, MAX_HOST_FILESYSTEMS);
  const mounts = kept.map((s) => s.labels.mountpoint!);
  // The same mount and device in free and avail (a mount point can be mounted over).
  const wanted = new Map(kept.map((s) => [s.labels.mountpoint!, s.labels.device ?? ''] as const));
  const samples: ExpositionSample[] = [...kept];
  for (const name of [FILESYSTEM.free, FILESYSTEM.avail]) {
    const done = new Set<string>();
    for (const s of selectSamples(page, name)) {
      const mount = s.labels.mountpoint ?? '';
      if (wanted.get(mount) !== (s.labels.device ?? '') || done.has(mount)) continue;
      done.add(mount);
      samples.push(s);
    }
  }
  return { samples, mounts, leftOut: byDevice.size - kept.length };
}

function network(page: string): { samples: ExpositionSample[]; devices: string[]; leftOut: number } {
  const received = selectSamples(page, NETWORK.receive).filter((s) =>
    isRealNetworkDevice(s.labels.device ?? ''),
  );
  const sent = new Map(
    selectSamples(page, NETWORK.transmit)
      .filter((s) => isRealNetworkDevice(s.labels.device ?? ''))
      .map((s) => [s.labels.device!, s] as const),
  );
  const total = (s: ExpositionSample) => s.value + (sent.get(s.labels.device!)?.value ?? 0);
  // Over the cap, the busiest devices are the ones an operator looks for.
  const kept = [...received]
    .sort((a, b) => total(b) - total(a) || (a.labels.device! < b.labels.device! ? -1 : 1))
    .slice(0, MAX_HOST_NETWORK_DEVICES);
  const devices = kept.map((s) => s.labels.device!).sort();
  const samples: ExpositionSample[] = [];
  for (const device of devices) {
    samples.push(kept.find((s) => s.labels.device === device)!);
    const tx = sent.get(device);
    if (tx) samples.push(tx);
  }
  return { samples, devices, leftOut: received.length - kept.length };
}

/** The node exporter series for a host's standard graphs, from one scraped page. */
export function nodeHostMetrics(page: string): NodeHostMetrics {
  const missing: NodeHostMetrics['missing'] = [];
  const cpu = cpuByMode(page);
  if (cpu.samples.length === 0) missing.push('cpu');
  const load = LOAD.flatMap((name) => selectSamples(page, name).slice(0, 1));
  if (load.length === 0) missing.push('load');
  const memory = [MEMORY.total, MEMORY.available].flatMap((name) => selectSamples(page, name).slice(0, 1));
  if (memory.length === 0) missing.push('memory');
  // No swap configured: no swap line (it would read 0/0); it appears once swap is switched on.
  const swapTotal = selectSamples(page, MEMORY.swapTotal)[0];
  const swap =
    swapTotal && swapTotal.value > 0 ? [swapTotal, ...selectSamples(page, MEMORY.swapFree).slice(0, 1)] : [];
  const fs = filesystems(page);
  if (fs.mounts.length === 0) missing.push('filesystem');
  const net = network(page);
  if (net.devices.length === 0) missing.push('network');
  return {
    samples: [...cpu.samples, ...load, ...memory, ...swap, ...fs.samples, ...net.samples],
    cpus: cpu.cpus,
    filesystems: fs.mounts,
    devices: net.devices,
    missing,
    leftOut: fs.leftOut + net.leftOut,
  };
}
