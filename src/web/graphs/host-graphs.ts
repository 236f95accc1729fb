import type { SeriesInfo } from '../../store/types.ts';
import type { GraphDef, GraphLine, LineGroup } from './graph-def.ts';
import { nodeExporterGroups } from './node-exporter-lines.ts';
import { snmpGroups } from './snmp-lines.ts';

export type { GraphDef, GraphLine } from './graph-def.ts';

/** The graphs a role's page can show for each of its hosts (ids of hostGraphs). */
export const ROLE_GRAPHS: readonly string[] = ['summary', 'cpu', 'load', 'memory', 'disk', 'heap'];

/** uPlot stays readable up to about this many lines; more are split over further graphs. */
export const MAX_LINES = 12;

const PERFDATA = 'perfdata';
const JVM_LABELS: Record<string, { id: string; title: string; unit: string }> = {
  heap_used_percent: { id: 'heap', title: 'JVM heap used %', unit: '%' },
  gc_time_percent: { id: 'gc', title: 'JVM time in GC %', unit: '%' },
  threads: { id: 'threads', title: 'JVM threads', unit: '' },
};

/** What tells two series of one name apart, for the legend: the labels beyond environment and host. */
function distinguishing(s: SeriesInfo): string {
  const parts = Object.entries(s.labels)
    .filter(([k]) => k !== 'environment' && k !== 'host')
    .map(([k, v]) =>
      k === 'mount' || k === 'interface' || k === 'service' || k === 'label' ? v : `${k}=${v}`,
    );
  return parts.join(' ') || s.name;
}

/** Exporter conventions: counters end in _total (also _count/_sum of summaries and histograms). */
function isCounter(name: string): boolean {
  return /_(total|count|sum)$/.test(name) && !/_bucket$/.test(name);
}

function unitOfExporterMetric(name: string, counter: boolean): string {
  const base = name.replace(/_(total|count|sum)$/, '');
  if (/_bytes$/.test(base)) return counter ? 'B/s' : 'B';
  if (/_seconds$/.test(base)) return counter ? '' : 's'; // seconds per second: a share, plain number
  if (/_percent$/.test(base)) return '%';
  return counter ? '/s' : '';
}

function unitOfSnmp(s: SeriesInfo): string {
  return s.unit ?? '';
}

/** Splits lines over as many graphs as it takes to keep each readable. */
function chunked(def: Omit<GraphDef, 'lines'>, lines: GraphLine[]): GraphDef[] {
  if (lines.length <= MAX_LINES) return lines.length ? [{ ...def, lines }] : [];
  const out: GraphDef[] = [];
  for (let i = 0; i < lines.length; i += MAX_LINES) {
    const n = i / MAX_LINES + 1;
    out.push({
      ...def,
      id: n === 1 ? def.id : `${def.id}#${n}`,
      title: `${def.title} (${n})`,
      lines: lines.slice(i, i + MAX_LINES),
    });
  }
  return out;
}

const byLabel = (a: GraphLine, b: GraphLine) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);

/**
 * Every stored series of one host as graphs, Cacti-style: a summary (CPU, memory, swap, disks,
 * heap in %), CPU, load, memory/swap, disk per mount, traffic per interface (from SNMP, or else
 * from a node exporter's series, through formula lines), the JVM, each check's
 * perfdata (one graph per unit), each exporter metric; whatever is left goes into a graph per
 * series name, so no series is left out. Pure: the same series give the same graphs.
 */
export function hostGraphs(series: readonly SeriesInfo[]): GraphDef[] {
  const used = new Set<string>();
  const take = (s: SeriesInfo, label: string, rate = false): GraphLine => {
    used.add(s.key);
    return rate ? { key: s.key, label, rate } : { key: s.key, label };
  };
  const out: GraphDef[] = [];

  // ---- system graphs: from SNMP, or else from a node exporter (each graph on its own) ----
  const snmp = snmpGroups(series);
  const node = nodeExporterGroups(series);
  const pick = (a: LineGroup, b: LineGroup): GraphLine[] => {
    const chosen = a.lines.length > 0 ? a : b;
    for (const s of chosen.inputs) used.add(s.key);
    return chosen.lines;
  };
  const cpu = pick(snmp.cpu, node.cpu);
  const load = pick(snmp.load, node.load);
  const memory = pick(snmp.memory, node.memory);
  const disks = pick(snmp.disks, node.disks);
  const nics = snmp.interfaces.length > 0 ? snmp.interfaces : node.interfaces;
  for (const nic of nics) for (const s of nic.inputs) used.add(s.key);
  const heap = series
    .filter((s) => s.name === PERFDATA && s.labels.label === 'heap_used_percent')
    .map((s) => ({ key: s.key, label: `heap ${s.labels.service ?? ''}`.trim() }));

  const summary = [
    ...cpu.filter((l) => l.label === 'busy').map((l) => ({ ...l, label: 'CPU' })),
    ...memory,
    ...disks.map((l) => ({ ...l, label: `disk ${l.label}` })),
    ...heap,
  ];
  out.push(
    ...chunked(
      { id: 'summary', section: 'Summary', title: 'CPU, memory, disk, heap', unit: '%', max: 100 },
      summary,
    ),
  );
  out.push(...chunked({ id: 'cpu', section: 'System', title: 'CPU', unit: '%', max: 100 }, cpu));
  out.push(...chunked({ id: 'load', section: 'System', title: 'Load average', unit: '' }, load));
  out.push(
    ...chunked(
      { id: 'memory', section: 'System', title: 'Memory and swap used', unit: '%', max: 100 },
      memory,
    ),
  );
  out.push(
    ...chunked({ id: 'disk', section: 'System', title: 'Disk used per mount', unit: '%', max: 100 }, disks),
  );
  const interfaces = [...nics].sort(
    (a, b) => Number(a.name === 'lo') - Number(b.name === 'lo') || (a.name < b.name ? -1 : 1),
  );
  for (const { name, lines } of interfaces) {
    out.push(
      ...chunked({ id: `net:${name}`, section: 'System', title: `Network ${name}`, unit: 'B/s' }, lines),
    );
  }

  // ---- JVM (perfdata of jvm checks) ----
  for (const [label, def] of Object.entries(JVM_LABELS)) {
    const lines = series
      .filter((s) => s.name === PERFDATA && s.labels.label === label)
      .map((s) => take(s, s.labels.service ?? ''))
      .sort(byLabel);
    out.push(
      ...chunked(
        {
          id: def.id,
          section: 'JVM',
          title: def.title,
          unit: def.unit,
          ...(def.unit === '%' ? { max: 100 } : {}),
        },
        lines,
      ),
    );
  }

  // ---- each check's perfdata (backups included): one graph per check and unit ----
  const checks = new Map<string, { service: string; unit: string; lines: GraphLine[] }>();
  for (const s of series) {
    if (s.name !== PERFDATA || used.has(s.key)) continue;
    const service = s.labels.service ?? '';
    const unit = s.unit ?? '';
    const id = `check:${service}:${unit}`;
    let g = checks.get(id);
    if (!g) {
      g = { service, unit, lines: [] };
      checks.set(id, g);
    }
    g.lines.push(take(s, s.labels.label ?? distinguishing(s)));
  }
  const unitsOf = (service: string) => [...checks.values()].filter((g) => g.service === service).length;
  for (const [id, g] of [...checks].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const name = g.service || 'host check';
    const title = unitsOf(g.service) > 1 && g.unit ? `${name} (${g.unit})` : name;
    out.push(
      ...chunked(
        { id, section: 'Checks', title, unit: g.unit, ...(g.unit === '%' ? { max: 100 } : {}) },
        g.lines.sort(byLabel),
      ),
    );
  }

  // ---- everything else: one graph per series name (exporters, the rest of SNMP) ----
  const rest = new Map<string, SeriesInfo[]>();
  for (const s of series) {
    if (used.has(s.key)) continue;
    const list = rest.get(s.name);
    if (list) list.push(s);
    else rest.set(s.name, [s]);
  }
  for (const [name, list] of [...rest].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const snmp = name.startsWith('snmp_');
    const counter = !snmp && isCounter(name);
    const unit = snmp ? unitOfSnmp(list[0]!) : unitOfExporterMetric(name, counter);
    const lines = list.map((s) => take(s, distinguishing(s), counter)).sort(byLabel);
    out.push(
      ...chunked(
        {
          id: `metric:${name}`,
          section: snmp ? 'More SNMP' : 'Exporters',
          title: counter ? `${name} per second` : name,
          unit,
        },
        lines,
      ),
    );
  }
  return out;
}
