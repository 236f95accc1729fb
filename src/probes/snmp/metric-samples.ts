import type { ProbeSample } from '../../core/index.ts';
import type { MetricValue } from './metric-values.ts';

/** Metric groups whose values are per object (mount, interface): the object becomes a label. */
const OBJECT_LABELS: Record<string, string> = { disk: 'mount', if: 'interface' };

function seriesPart(text: string): string {
  return text.replace(/[^a-zA-Z0-9_]/g, '_');
}

/**
 * SNMP metric values as stored series. Names are `snmp_<group>_<what>` (Prometheus style) and the
 * mount or interface is a label, so `disk./var.used_percent` becomes
 * snmp_disk_used_percent{environment, host, mount="/var"} and `cpu.usage` snmp_cpu_usage.
 */
export function snmpSeriesName(metric: string): { name: string; labels: Record<string, string> } {
  const parts = metric.split('.');
  const group = parts[0] ?? '';
  const labelName = OBJECT_LABELS[group];
  if (labelName !== undefined && parts.length >= 3) {
    const what = parts[parts.length - 1]!;
    return {
      name: `snmp_${group}_${seriesPart(what)}`,
      labels: { [labelName]: parts.slice(1, -1).join('.') },
    };
  }
  // snmp.agent_uptime.seconds → snmp_agent_uptime_seconds, not snmp_snmp_…
  const rest = group === 'snmp' ? parts.slice(1) : parts;
  return { name: `snmp_${rest.map(seriesPart).join('_')}`, labels: {} };
}

export function snmpSamples(values: MetricValue[], labels: Record<string, string>): ProbeSample[] {
  return values.map((v) => {
    const series = snmpSeriesName(v.name);
    const sample: ProbeSample = {
      name: series.name,
      labels: { ...labels, ...series.labels },
      value: v.value,
    };
    if (v.unit !== '') sample.unit = v.unit;
    return sample;
  });
}
