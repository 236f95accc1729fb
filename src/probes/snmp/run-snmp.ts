import type { CheckResult, SnmpProbe } from '../../core/index.ts';
import { probeResult } from '../probe-result.ts';
import { thresholdedValueResult } from '../value-result.ts';
import { type HostPoller, hostPoller } from './host-poller.ts';
import { snmpSamples } from './metric-samples.ts';
import { hostMetricValues, type MetricValue } from './metric-values.ts';
import { describeTarget, type SnmpTarget } from './snmp-target.ts';

export interface SnmpRunOptions {
  timeoutMs: number;
  /** The check interval: a poll of the host younger than half of it is reused. */
  intervalMs: number;
  warning?: string;
  critical?: string;
  /** Labels of the stored series: environment and host. */
  labels: Record<string, string>;
  poller?: HostPoller;
}

/**
 * Rates (per second, bits per second, and CPU shares from ssCpuRaw ticks when the agent has no
 * hrProcessorLoad) need two polls; the first poll of a host cannot give them.
 */
function isRate(metric: string): boolean {
  if (metric.startsWith('cpu.')) return metric !== 'cpu.cores';
  return /(_per_second|_bps)$/.test(metric) && !metric.endsWith('speed_bps');
}

/** `disk.*.used_percent`: `*` stands for any mount or interface name (dots and slashes included). */
function globPattern(metric: string): RegExp {
  const escaped = metric.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.+')}$`);
}

/**
 * A wildcard metric: every matching value is thresholded and the worst one decides (so one check
 * covers every mount of a host, whatever they are); each value is a perfdatum.
 */
function worstOf(
  metric: string,
  values: MetricValue[],
  opts: SnmpRunOptions,
  startedAt: number,
  target: SnmpTarget,
): CheckResult {
  const pattern = globPattern(metric);
  const matching = values.filter((v) => pattern.test(v.name));
  if (matching.length === 0) {
    return probeResult(
      3,
      `SNMP UNKNOWN - ${describeTarget(target)} reports no metric matching ${metric}; it reports: ${values
        .map((v) => v.name)
        .slice(0, 12)
        .join(', ')}`,
      startedAt,
    );
  }
  const results = matching.map((v) =>
    thresholdedValueResult('SNMP', v.name, v.value, v.unit, opts, startedAt),
  );
  const rank = (state: number): number => (state === 3 ? 1.5 : state);
  const worst = results.reduce((a, b) => (rank(b.state) > rank(a.state) ? b : a));
  worst.output = `${worst.output} (worst of ${matching.length} matching ${metric})`;
  worst.perfdata = results.flatMap((r) => r.perfdata);
  worst.longOutput = results.map((r) => r.output).join('\n');
  return worst;
}

/**
 * One SNMP check: the host's shared poll (one walk per host per interval), the selected metric
 * thresholded. The check whose call actually polled returns every value of the poll as samples,
 * so each value is stored once per poll however many checks the host has.
 */
export async function runSnmp(probe: SnmpProbe, opts: SnmpRunOptions): Promise<CheckResult> {
  const startedAt = Date.now();
  const target: SnmpTarget = { ...probe.agent, timeoutMs: opts.timeoutMs };
  const shared = await (opts.poller ?? hostPoller).get(target, opts.intervalMs / 2);
  const { poll } = shared;
  const values = hostMetricValues(poll.metrics);
  const samples = shared.polledHere && values.length > 0 ? snmpSamples(values, opts.labels) : undefined;
  const withSamples = (result: CheckResult): CheckResult => {
    if (samples) result.samples = samples;
    return result;
  };
  if (poll.errors.length > 0 && (poll.requests === 0 || values.length === 0)) {
    return withSamples(
      probeResult(3, `SNMP UNKNOWN - ${poll.errors[0]}`, startedAt, poll.errors.slice(1).join('\n')),
    );
  }
  if (probe.metric.includes('*')) return withSamples(worstOf(probe.metric, values, opts, startedAt, target));
  const selected = values.find((v) => v.name === probe.metric);
  if (selected === undefined) {
    if (isRate(probe.metric) && !shared.hadPrevious) {
      return withSamples(
        probeResult(
          0,
          `SNMP OK - ${probe.metric}: no value yet, a rate needs a second poll of ${describeTarget(target)}`,
          startedAt,
        ),
      );
    }
    const names = values.map((v) => v.name);
    return withSamples(
      probeResult(
        3,
        `SNMP UNKNOWN - ${describeTarget(target)} reports no metric ${probe.metric}; it reports ${names.length} metrics: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`,
        startedAt,
        names.length > 12 ? `All metrics: ${names.join(', ')}` : '',
      ),
    );
  }
  const detail = poll.metrics.rebooted ? 'host rebooted since the previous poll' : '';
  return withSamples(
    thresholdedValueResult('SNMP', selected.name, selected.value, selected.unit, opts, startedAt, detail),
  );
}
