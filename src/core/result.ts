/** One performance datum, as the Nagios plugin API defines it: 'label'=value[UOM];warn;crit;min;max */
export interface PerfDatum {
  label: string;
  value: number;
  /** '', 's', 'ms', 'us', '%', 'B', 'KB', 'MB', 'GB', 'TB', 'c', or anything else the plugin printed. */
  uom: string;
  warn?: string;
  crit?: string;
  min?: number;
  max?: number;
}

/**
 * What a probe returns: exactly what a Nagios plugin produces (exit code, output lines, perfdata),
 * whether it came from a forked plugin, a native probe or a passive submission.
 */
export interface CheckResult {
  /** 0..3 for services (OK, WARNING, CRITICAL, UNKNOWN); for hosts the plugin code, mapped later. */
  state: number;
  /** First line of plugin output, without perfdata. */
  output: string;
  /** Remaining lines of output, without perfdata. */
  longOutput: string;
  perfdata: PerfDatum[];
  /** Epoch ms when the check started and ended (for latency and execution time). */
  startedAt: number;
  finishedAt: number;
  /** Epoch ms when the check was due; startedAt - scheduledAt is its lateness. */
  scheduledAt?: number;
  /** True when the result was submitted passively (API) rather than run by the scheduler. */
  passive?: boolean;
  /** True when the probe ran out of time. */
  timedOut?: boolean;
  /**
   * True for the synthetic result the freshness check produces when no result came in time. It is
   * processed like any other result, but it does not count as a result received (lastResultAt).
   */
  stale?: boolean;
  /**
   * Metric samples a probe collected besides its perfdata (e.g. every value of an SNMP walk), to be
   * stored as series. Timestamped at finishedAt.
   */
  samples?: ProbeSample[];
}

export interface ProbeSample {
  /** Series name, Prometheus style: [a-zA-Z_:][a-zA-Z0-9_:]* */
  name: string;
  labels: Record<string, string>;
  value: number;
  unit?: string;
}
