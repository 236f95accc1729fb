import type { CheckResult, PerfDatum } from '../core/index.ts';
import { probeResult, stateWord } from './probe-result.ts';
import { checkThresholds } from './thresholds/index.ts';

/** Perfdata units as the plugin API allows them; other units stay in the output text only. */
const PERFDATA_UOMS = new Set(['', 's', 'ms', 'us', '%', 'B', 'KB', 'MB', 'GB', 'TB', 'c']);

function shown(value: number, unit: string): string {
  const text = Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  if (unit === '') return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/**
 * The result of a probe that selects one value (an SNMP metric, a scraped series, the JVM heap):
 * state from the warning/critical ranges, output "<PREFIX> <WORD> - <label> = <value>" and one
 * perfdatum carrying the thresholds, like a Nagios plugin would print.
 */
export function thresholdedValueResult(
  prefix: string,
  label: string,
  value: number,
  unit: string,
  thresholds: { warning?: string; critical?: string },
  startedAt: number,
  detail = '',
): CheckResult {
  const outcome = checkThresholds(value, thresholds.warning, thresholds.critical);
  if (!outcome.ok) return probeResult(3, `${prefix} UNKNOWN - invalid threshold ${outcome.error}`, startedAt);
  const datum: PerfDatum = { label, value, uom: PERFDATA_UOMS.has(unit) ? unit : '' };
  if (thresholds.warning) datum.warn = thresholds.warning;
  if (thresholds.critical) datum.crit = thresholds.critical;
  if (unit === '%') {
    datum.min = 0;
    datum.max = 100;
  }
  const state = outcome.state;
  const why =
    state === 2
      ? ` (outside critical range ${thresholds.critical})`
      : state === 1
        ? ` (outside warning range ${thresholds.warning})`
        : '';
  const more = detail === '' ? '' : `, ${detail}`;
  return probeResult(
    state,
    `${prefix} ${stateWord(state)} - ${label} = ${shown(value, unit)}${why}${more}`,
    startedAt,
    '',
    [datum],
  );
}
