import type { CheckResult, ProbeSample, PrometheusProbe, ServiceState } from '../../core/index.ts';
import { fetchText } from '../fetch-text.ts';
import { probeResult, timedOutResult } from '../probe-result.ts';
import { thresholdedValueResult } from '../value-result.ts';
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

function describeSelection(probe: PrometheusProbe): string {
  const pairs = Object.entries(probe.match).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? probe.metric : `${probe.metric}{${pairs.join(',')}}`;
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

function storedSamples(samples: ExpositionSample[], labels: Record<string, string>): ProbeSample[] {
  return samples.slice(0, MAX_STORED_SERIES).map((s) => {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.labels)) merged[k in labels ? `exported_${k}` : k] = v;
    return { name: s.name, labels: { ...merged, ...labels }, value: s.value };
  });
}

/** Scrapes the endpoint, selects the series, thresholds its value; stores the selected series. */
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
  const selected = selectSamples(fetched.body, probe.metric, probe.match);
  const what = describeSelection(probe);
  if (selected.length === 0) {
    const anyOfName = selectSamples(fetched.body, probe.metric);
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
