import type { SeriesInfo } from '../../store/types.ts';
import type { LineFormula } from './derived-lines.ts';

/** One line of a graph: a stored series, its per-second rate (counters), or a formula over several. */
export interface GraphLine {
  /** The series key; for a formula line, the line's own key (`=cpu busy`, `=disk /var`). */
  key: string;
  label: string;
  rate?: boolean;
  of?: LineFormula;
}

/** One graph of a host: lines that share a unit (one y axis). */
export interface GraphDef {
  /** Stable within the host: `cpu`, `disk`, `net:eth0`, `check:disk:%`, `metric:node_load1` … */
  id: string;
  section: 'Summary' | 'System' | 'JVM' | 'Checks' | 'Exporters' | 'More SNMP';
  title: string;
  /** '%', 'B', 'B/s', 's', 'b/s', '/s' or '' (a plain number). */
  unit: string;
  /** Percent graphs are drawn 0–100. */
  max?: number;
  lines: GraphLine[];
}

/** Lines of one standard graph and the series they read (marked as drawn when the graph is used). */
export interface LineGroup {
  lines: GraphLine[];
  inputs: SeriesInfo[];
}

/** A host's standard system graphs from one source (SNMP, node exporter). */
export interface SystemGroups {
  /** The first line, when there is one, is busy %. */
  cpu: LineGroup;
  load: LineGroup;
  memory: LineGroup;
  disks: LineGroup;
  interfaces: (LineGroup & { name: string })[];
}
