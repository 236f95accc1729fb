import type { CheckResult, PerfDatum, ServiceState } from '../core/index.ts';

/** A CheckResult finished now. Every probe builds its results through here. */
export function probeResult(
  state: number,
  output: string,
  startedAt: number,
  longOutput = '',
  perfdata: PerfDatum[] = [],
): CheckResult {
  return { state, output, longOutput, perfdata, startedAt, finishedAt: Date.now() };
}

/** The result of a probe that ran out of time: ctx.timeoutState, flagged timedOut. */
export function timedOutResult(
  state: ServiceState,
  output: string,
  startedAt: number,
  longOutput = '',
): CheckResult {
  const result = probeResult(state, output, startedAt, longOutput);
  result.timedOut = true;
  return result;
}

/** Seconds with two decimals, as Nagios prints execution times ("10.00"). */
export function seconds2(ms: number): string {
  return (ms / 1000).toFixed(2);
}

const STATE_WORDS = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

/** OK/WARNING/CRITICAL/UNKNOWN as plugins print them. */
export function stateWord(state: number): string {
  return STATE_WORDS[state] ?? 'UNKNOWN';
}
