import type { ServiceState } from '../../core/index.ts';

/**
 * A Nagios threshold range (https://nagios-plugins.org/doc/guidelines.html#THRESHOLDFORMAT):
 * `[@]start:end`. An absent start is 0, `~` is negative infinity, an absent end is infinity.
 * By default a value alerts when it lies OUTSIDE [start, end] (bounds included in the good zone);
 * with a leading `@` it alerts when it lies INSIDE [start, end] (bounds included).
 */
export interface ThresholdRange {
  start: number;
  end: number;
  /** true for `@`: alert when start <= value <= end. */
  inside: boolean;
  /** The text it was parsed from, for perfdata and messages. */
  text: string;
}

export type ParsedThresholdRange = { ok: true; range: ThresholdRange } | { ok: false; error: string };

/** strtod-like numbers as Nagios plugins accept them, minus hex and infinities. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const SYNTAX_HELP =
  'use Nagios range syntax: "10" (alert outside 0..10), "10:" (below 10), "~:10" (above 10), ' +
  '"10:20" (outside 10..20), "@10:20" (inside 10..20)';

function invalid(text: string, why: string): ParsedThresholdRange {
  return { ok: false, error: `invalid threshold range '${text}': ${why}; ${SYNTAX_HELP}` };
}

/** Parses a range, returning a clear error (with the accepted syntax) instead of throwing. */
export function parseThresholdRange(text: string): ParsedThresholdRange {
  const trimmed = text.trim();
  if (trimmed === '') return invalid(text, 'it is empty');
  let body = trimmed;
  let inside = false;
  if (body.startsWith('@')) {
    inside = true;
    body = body.slice(1);
    if (body === '') return invalid(text, "'@' must be followed by a range");
  }
  let start = 0;
  let end = Number.POSITIVE_INFINITY;
  const colon = body.indexOf(':');
  let endText: string;
  if (colon >= 0) {
    const startText = body.slice(0, colon);
    endText = body.slice(colon + 1);
    if (endText.includes(':')) return invalid(text, 'it has more than one colon');
    if (startText === '~') start = Number.NEGATIVE_INFINITY;
    else if (startText !== '') {
      // Like the plugins' parse_range_string, an empty start means 0 (":10" is "0:10").
      if (!NUMBER.test(startText)) return invalid(text, `start '${startText}' is not a number or '~'`);
      start = Number(startText);
    }
  } else {
    endText = body;
  }
  if (endText !== '') {
    if (endText === '~') return invalid(text, "'~' (negative infinity) is only allowed as the start");
    if (!NUMBER.test(endText)) return invalid(text, `end '${endText}' is not a number`);
    end = Number(endText);
  } else if (colon < 0) {
    return invalid(text, 'it has no bounds');
  }
  if (start > end) return invalid(text, `start ${start} is greater than end ${end}`);
  return { ok: true, range: { start, end, inside, text: trimmed } };
}

/** True when value should raise an alert under this range. */
export function rangeAlerts(range: ThresholdRange, value: number): boolean {
  const within = value >= range.start && value <= range.end;
  return range.inside ? within : !within;
}

/**
 * Parsed ranges by text: the same few threshold strings are evaluated thousands of times per
 * second, so each is parsed once. Bounded so arbitrary input cannot grow it without limit.
 */
const parsedRanges = new Map<string, ParsedThresholdRange>();
const PARSED_RANGES_MAX = 4096;

export function cachedThresholdRange(text: string): ParsedThresholdRange {
  let parsed = parsedRanges.get(text);
  if (parsed === undefined) {
    parsed = parseThresholdRange(text);
    if (parsedRanges.size >= PARSED_RANGES_MAX) parsedRanges.clear();
    parsedRanges.set(text, parsed);
  }
  return parsed;
}

/**
 * The state of a value against warning and critical ranges: CRITICAL wins over WARNING. A range
 * that does not parse yields UNKNOWN (the spec validator rejects those before they get here; use
 * checkThresholds to get the message).
 */
export function evaluateThresholds(
  value: number,
  warning?: string | ThresholdRange,
  critical?: string | ThresholdRange,
): ServiceState {
  const outcome = checkThresholds(value, warning, critical);
  return outcome.ok ? outcome.state : 3;
}

export type ThresholdOutcome = { ok: true; state: ServiceState } | { ok: false; error: string };

/** evaluateThresholds that also says which range was invalid. */
export function checkThresholds(
  value: number,
  warning?: string | ThresholdRange,
  critical?: string | ThresholdRange,
): ThresholdOutcome {
  if (critical !== undefined && critical !== '') {
    const range =
      typeof critical === 'string' ? cachedThresholdRange(critical) : { ok: true as const, range: critical };
    if (!range.ok) return { ok: false, error: `critical: ${range.error}` };
    if (rangeAlerts(range.range, value)) return { ok: true, state: 2 };
  }
  if (warning !== undefined && warning !== '') {
    const range =
      typeof warning === 'string' ? cachedThresholdRange(warning) : { ok: true as const, range: warning };
    if (!range.ok) return { ok: false, error: `warning: ${range.error}` };
    if (rangeAlerts(range.range, value)) return { ok: true, state: 1 };
  }
  return { ok: true, state: 0 };
}
