/**
 * The standard host graphs' lines from the SNMP probe's series (`snmp_cpu_usage`,
 * `snmp_disk_used_percent{mount}` …), which it already stores as percentages and rates. Pure.
 */
import type { SeriesInfo } from '../../store/types.ts';
import type { LineGroup, SystemGroups } from './graph-def.ts';

const byLabel = (a: { label: string }, b: { label: string }) =>
  a.label < b.label ? -1 : a.label > b.label ? 1 : 0;

/** The host's single series of each name, in the order given, labelled for the legend. */
function fixed(series: readonly SeriesInfo[], names: readonly (readonly [string, string])[]): LineGroup {
  const group: LineGroup = { lines: [], inputs: [] };
  for (const [name, label] of names) {
    const s = series.find((x) => x.name === name);
    if (!s) continue;
    group.lines.push({ key: s.key, label });
    group.inputs.push(s);
  }
  return group;
}

export function snmpGroups(series: readonly SeriesInfo[]): SystemGroups {
  const disks = series.filter((s) => s.name === 'snmp_disk_used_percent');
  const interfaces = [
    ...new Set(
      series
        .filter((s) => s.name === 'snmp_if_in_bytes_per_second' || s.name === 'snmp_if_out_bytes_per_second')
        .map((s) => s.labels.interface ?? ''),
    ),
  ];
  return {
    cpu: fixed(series, [
      ['snmp_cpu_usage', 'busy'],
      ['snmp_cpu_user', 'user'],
      ['snmp_cpu_system', 'system'],
      ['snmp_cpu_iowait', 'iowait'],
      ['snmp_cpu_steal', 'steal'],
    ]),
    load: fixed(series, [
      ['snmp_load_1', '1 min'],
      ['snmp_load_5', '5 min'],
      ['snmp_load_15', '15 min'],
    ]),
    memory: fixed(series, [
      ['snmp_memory_used_percent', 'memory'],
      ['snmp_swap_used_percent', 'swap'],
    ]),
    disks: {
      lines: disks.map((s) => ({ key: s.key, label: s.labels.mount ?? s.name })).sort(byLabel),
      inputs: disks,
    },
    interfaces: interfaces.map((name) => {
      const group = fixed(
        series.filter((x) => (x.labels.interface ?? '') === name),
        [
          ['snmp_if_in_bytes_per_second', 'in'],
          ['snmp_if_out_bytes_per_second', 'out'],
        ],
      );
      return { name, ...group };
    }),
  };
}
