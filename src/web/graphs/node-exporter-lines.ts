/**
 * The standard host graphs' lines from a node exporter's series (a `prometheus` check with
 * `hostMetrics: true`), labelled as the SNMP ones are, so a node-exporter host reads like an SNMP
 * host: CPU busy/user/system/iowait/steal % from the per-mode time counters, memory and swap used
 * %, disk used % per mount (as df counts it), bytes/s in and out per device. Pure.
 */
import { CPU_SECONDS, FILESYSTEM, LOAD, MEMORY, NETWORK } from '../../probes/prometheus/index.ts';
import type { SeriesInfo } from '../../store/types.ts';
import type { GraphLine, LineGroup, SystemGroups } from './graph-def.ts';

/** CPU lines as the SNMP probe computes them: busy is everything but idle and iowait. */
const CPU_LINES: readonly { label: string; modes: (modes: string[]) => string[] }[] = [
  { label: 'busy', modes: (all) => all.filter((m) => m !== 'idle' && m !== 'iowait') },
  { label: 'user', modes: () => ['user', 'nice'] },
  { label: 'system', modes: () => ['system', 'irq', 'softirq'] },
  { label: 'iowait', modes: () => ['iowait'] },
  { label: 'steal', modes: () => ['steal'] },
];

const empty = (): LineGroup => ({ lines: [], inputs: [] });

function cpuGroup(series: readonly SeriesInfo[]): LineGroup {
  // Summed over CPUs by the probe: no `cpu` label (a check selecting one CPU's series has one).
  const byMode = new Map<string, SeriesInfo>();
  for (const s of series) {
    const mode = s.labels.mode;
    if (s.name === CPU_SECONDS && mode !== undefined && s.labels.cpu === undefined && !byMode.has(mode))
      byMode.set(mode, s);
  }
  if (byMode.size === 0) return empty();
  const modes = [...byMode.keys()].sort();
  const whole = modes.map((m) => byMode.get(m)!.key);
  const lines: GraphLine[] = [];
  for (const line of CPU_LINES) {
    const part = line.modes(modes).flatMap((m) => (byMode.has(m) ? [byMode.get(m)!.key] : []));
    if (part.length > 0)
      lines.push({ key: `=cpu ${line.label}`, label: line.label, of: { share: { part, whole } } });
  }
  return { lines, inputs: [...byMode.values()] };
}

function loadGroup(series: readonly SeriesInfo[]): LineGroup {
  const group = empty();
  for (const [name, label] of [
    [LOAD[0], '1 min'],
    [LOAD[1], '5 min'],
    [LOAD[2], '15 min'],
  ] as const) {
    const s = series.find((x) => x.name === name);
    if (!s) continue;
    group.lines.push({ key: s.key, label });
    group.inputs.push(s);
  }
  return group;
}

function memoryGroup(series: readonly SeriesInfo[]): LineGroup {
  const group = empty();
  const one = (name: string) => series.find((s) => s.name === name);
  for (const [label, totalName, freeName] of [
    ['memory', MEMORY.total, MEMORY.available],
    ['swap', MEMORY.swapTotal, MEMORY.swapFree],
  ] as const) {
    const total = one(totalName);
    const free = one(freeName);
    if (!total || !free) continue;
    group.lines.push({ key: `=${label}`, label, of: { used: { total: total.key, free: free.key } } });
    group.inputs.push(total, free);
  }
  return group;
}

function diskGroup(series: readonly SeriesInfo[]): LineGroup {
  const group = empty();
  const sizes = series.filter((s) => s.name === FILESYSTEM.size && s.labels.mountpoint !== undefined);
  const seen = new Set<string>();
  for (const size of sizes) {
    const mount = size.labels.mountpoint!;
    if (seen.has(mount)) continue;
    // free and avail of the same mount and device.
    const same = (name: string) =>
      series.find(
        (s) => s.name === name && s.labels.mountpoint === mount && s.labels.device === size.labels.device,
      );
    const free = same(FILESYSTEM.free);
    if (!free) continue;
    const avail = same(FILESYSTEM.avail);
    seen.add(mount);
    group.lines.push({
      key: `=disk ${mount}`,
      label: mount,
      of: { used: { total: size.key, free: free.key, ...(avail ? { avail: avail.key } : {}) } },
    });
    group.inputs.push(size, free, ...(avail ? [avail] : []));
  }
  group.lines.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return group;
}

function interfaceGroups(series: readonly SeriesInfo[]): SystemGroups['interfaces'] {
  const devices = new Map<string, SystemGroups['interfaces'][number]>();
  for (const [name, label] of [
    [NETWORK.receive, 'in'],
    [NETWORK.transmit, 'out'],
  ] as const) {
    for (const s of series) {
      const device = s.labels.device;
      if (s.name !== name || device === undefined) continue;
      let group = devices.get(device);
      if (!group) {
        group = { name: device, lines: [], inputs: [] };
        devices.set(device, group);
      }
      if (group.lines.some((l) => l.label === label)) continue;
      group.lines.push({ key: s.key, label, rate: true });
      group.inputs.push(s);
    }
  }
  return [...devices.values()];
}

/** The standard graphs' lines from the node exporter series among a host's series. */
export function nodeExporterGroups(series: readonly SeriesInfo[]): SystemGroups {
  return {
    cpu: cpuGroup(series),
    load: loadGroup(series),
    memory: memoryGroup(series),
    disks: diskGroup(series),
    interfaces: interfaceGroups(series),
  };
}
