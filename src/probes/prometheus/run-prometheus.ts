import type { CheckResult, ProbeSample, PrometheusProbe, ServiceState } from '../../core/index.ts';
import { fetchText } from '../fetch-text.ts';
import { probeResult, timedOutResult } from '../probe-result.ts';
import { thresholdedValueResult } from '../value-result.ts';
import { type NodeHostMetrics, nodeHostMetrics } from './node-host-metrics.ts';
import { type ExpositionSample, selectSamples } from './parse-exposition.ts';

/**
 * Stored samples per check and scrape. Only the selected series are stored (the metric's series
 * matching `match`): a node exporter page has ~1,000 series and storing all of them every minute
 * for every check would make one check cost more than a host's whole SNMP poll. The cap bounds a
 * loose selection (say, a metric with a per-request-path label).
 */
export const MAX_STORED_SERIES = 200;

export interface PrometheusRunOptions {
  timeoutMs: number;
  timeoutState: ServiceState;
  warning?: string;
  critical?: string;
  /** Labels every stored series gets (environment, host); the exporter's own same-named labels become exported_<name>. */
  labels: Record<string, string>;
  signal?: AbortSignal;
}

function describeSelection(metric: string, match: Record<string, string>): string {
  const pairs = Object.entries(match).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? metric : `${metric}{${pairs.join(',')}}`;
}

function aggregate(samples: ExpositionSample[], how: NonNullable<PrometheusProbe['aggregate']>): number {
  const values = samples.map((s) => s.value);
  switch (how) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'count':
      return values.length;
  }
}

function storedSamples(
  samples: ExpositionSample[],
  labels: Record<string, string>,
  max = MAX_STORED_SERIES,
): ProbeSample[] {
  return samples.slice(0, max).map((s) => {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.labels)) merged[k in labels ? `exported_${k}` : k] = v;
    return { name: s.name, labels: { ...merged, ...labels }, value: s.value };
  });
}

/**
 * Scrapes the endpoint, selects the series, thresholds its value; stores the selected series. With
 * hostMetrics, also stores the node exporter series of the host's standard graphs (and without a
 * metric, only those: OK when the page has them).
 */
export async function runPrometheus(
  probe: PrometheusProbe,
  opts: PrometheusRunOptions,
): Promise<CheckResult> {
  const startedAt = Date.now();
  const fetched = await fetchText(probe.url, {
    timeoutMs: opts.timeoutMs,
    insecure: probe.insecure,
    accept: 'text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5,*/*;q=0.1',
    signal: opts.signal,
  });
  if (!fetched.ok) {
    const text = `PROMETHEUS ${fetched.timedOut ? 'TIMEOUT' : 'UNKNOWN'} - scraping ${fetched.error}`;
    return fetched.timedOut
      ? timedOutResult(opts.timeoutState, text, startedAt)
      : probeResult(opts.timeoutState, text, startedAt);
  }
  if (fetched.status !== 200) {
    return probeResult(2, `PROMETHEUS CRITICAL - ${probe.url} answered HTTP ${fetched.status}`, startedAt);
  }
  const metric = probe.metric ?? '';
  if (!probe.hostMetrics) return selectedResult(fetched.body, { ...probe, metric }, opts, startedAt);
  const host = nodeHostMetrics(fetched.body);
  const hostSamples = storedSamples(host.samples, opts.labels, host.samples.length);
  if (metric === '') return hostMetricsResult(host, hostSamples, probe.url, opts, startedAt);
  const result = selectedResult(fetched.body, { ...probe, metric }, opts, startedAt);
  // The selected series may be one of the host's (node_load1): stored once.
  const keys = new Set((result.samples ?? []).map(sampleKey));
  result.samples = [...(result.samples ?? []), ...hostSamples.filter((s) => !keys.has(sampleKey(s)))];
  const note = hostMetricsNote(host, hostSamples.length);
  result.longOutput = result.longOutput ? `${result.longOutput}\n${note}` : note;
  return result;
}

function sampleKey(s: ProbeSample): string {
  return `${s.name}${JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
}

function hostMetricsNote(host: NodeHostMetrics, series: number): string {
  const parts = [
    `host metrics: ${host.cpus} CPU${host.cpus === 1 ? '' : 's'}`,
    `${host.filesystems.length} filesystem${host.filesystems.length === 1 ? '' : 's'} (${host.filesystems.join(' ')})`,
    `${host.devices.length} network device${host.devices.length === 1 ? '' : 's'} (${host.devices.join(' ')})`,
    `${series} series stored`,
  ];
  if (host.leftOut > 0) parts.push(`${host.leftOut} mounts/devices over the limit left out`);
  const missing =
    host.missing.length === 0
      ? ''
      : `; nothing for ${host.missing.join(', ')}: is the node exporter's ${host.missing.map(collectorOf).join(', ')} collector off?`;
  return parts.join(', ') + missing;
}

const COLLECTORS: Record<NodeHostMetrics['missing'][number], string> = {
  cpu: 'cpu',
  load: 'loadavg',
  memory: 'meminfo',
  filesystem: 'filesystem',
  network: 'netdev',
};
function collectorOf(group: NodeHostMetrics['missing'][number]): string {
  return COLLECTORS[group];
}

/** A check that only stores host metrics: OK when the page has them, UNKNOWN when it has none. */
function hostMetricsResult(
  host: NodeHostMetrics,
  samples: ProbeSample[],
  url: string,
  opts: PrometheusRunOptions,
  startedAt: number,
): CheckResult {
  if (opts.warning !== undefined || opts.critical !== undefined) {
    const result = probeResult(
      3,
      'PROMETHEUS UNKNOWN - warning/critical set but no metric to threshold: add e.g. metric: node_load5, or remove the thresholds',
      startedAt,
    );
    result.samples = samples;
    return result;
  }
  if (samples.length === 0) {
    return probeResult(
      3,
      `PROMETHEUS UNKNOWN - no node exporter host metrics at ${url} (node_cpu_seconds_total, node_load1, node_memory_*, node_filesystem_*, node_network_*): is it a node exporter?`,
      startedAt,
    );
  }
  const result = probeResult(0, `PROMETHEUS OK - ${hostMetricsNote(host, samples.length)}`, startedAt);
  result.samples = samples;
  return result;
}

/** The selected series thresholded (or UNKNOWN saying what exists instead), with them as samples. */
function selectedResult(
  page: string,
  probe: PrometheusProbe & { metric: string },
  opts: PrometheusRunOptions,
  startedAt: number,
): CheckResult {
  const selected = selectSamples(page, probe.metric, probe.match);
  const what = describeSelection(probe.metric, probe.match);
  if (selected.length === 0) {
    const anyOfName = selectSamples(page, probe.metric);
    const hint =
      anyOfName.length === 0
        ? `the endpoint exposes no ${probe.metric}`
        : `${anyOfName.length} series of ${probe.metric} exist, e.g. ${JSON.stringify(anyOfName[0]!.labels)}: adjust match`;
    return probeResult(3, `PROMETHEUS UNKNOWN - no series ${what} at ${probe.url}: ${hint}`, startedAt);
  }
  const samples = storedSamples(selected, opts.labels);
  let result: CheckResult;
  if (selected.length > 1 && probe.aggregate === undefined) {
    result = probeResult(
      3,
      `PROMETHEUS UNKNOWN - ${selected.length} series match ${what} at ${probe.url}: narrow match or set aggregate (sum, min, max, avg, count)`,
      startedAt,
      selected
        .slice(0, 10)
        .map((s) => JSON.stringify(s.labels))
        .join('\n'),
    );
  } else {
    const value = probe.aggregate === undefined ? selected[0]!.value : aggregate(selected, probe.aggregate);
    const label = probe.aggregate === undefined ? probe.metric : `${probe.aggregate}(${probe.metric})`;
    result = thresholdedValueResult(
      'PROMETHEUS',
      label,
      value,
      '',
      opts,
      startedAt,
      `${selected.length} series at ${probe.url}`,
    );
  }
  result.samples = samples;
  return result;
}
