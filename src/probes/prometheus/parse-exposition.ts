/**
 * Prometheus text exposition (and OpenMetrics text) parsing, for the scrape probe's hot path: a
 * node exporter page is ~100 KB and thousands of lines, of which a check wants a handful. Lines
 * are skipped on their first characters (comments, other metric names) without splitting the page
 * or building strings; only lines of the wanted metric have their labels parsed.
 */

export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const BRACE = 0x7b;
const NEWLINE = 0x0a;

function parseValue(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
    default:
      return Number(text);
  }
}

/** Labels from `{a="x",b="y"}` starting at `open` (the brace); returns them and the index after `}`. */
function parseLabels(
  line: string,
  open: number,
): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  let i = open + 1;
  const n = line.length;
  while (i < n) {
    while (i < n && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === 0x2c)) i++;
    if (line.charCodeAt(i) === 0x7d) return { labels, end: i + 1 };
    const eq = line.indexOf('=', i);
    if (eq < 0) return undefined;
    const name = line.slice(i, eq).trim();
    i = eq + 1;
    if (line.charCodeAt(i) !== 0x22) return undefined;
    i++;
    let value = '';
    let start = i;
    for (;;) {
      if (i >= n) return undefined;
      const c = line.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        value += line.slice(start, i);
        const next = line[i + 1];
        value += next === 'n' ? '\n' : (next ?? '');
        i += 2;
        start = i;
        continue;
      }
      i++;
    }
    value += line.slice(start, i);
    labels[name] = value;
    i++;
  }
  return undefined;
}

/** One sample line (no comment), or undefined when malformed. */
function parseSampleLine(line: string, nameEnd: number): ExpositionSample | undefined {
  const name = line.slice(0, nameEnd);
  let labels: Record<string, string> = {};
  let i = nameEnd;
  if (line.charCodeAt(i) === BRACE) {
    const parsed = parseLabels(line, i);
    if (parsed === undefined) return undefined;
    labels = parsed.labels;
    i = parsed.end;
  }
  while (i < line.length && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
  let end = i;
  while (end < line.length && line.charCodeAt(end) !== SPACE && line.charCodeAt(end) !== TAB) end++;
  if (end === i) return undefined;
  const value = parseValue(line.slice(i, end));
  if (Number.isNaN(value) && line.slice(i, end) !== 'NaN') return undefined;
  return { name, labels, value };
}

function nameEndOf(line: string): number {
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === BRACE || c === SPACE || c === TAB) break;
    i++;
  }
  return i;
}

/** Every sample of the page. For dashboards and tests; checks use selectSamples. */
export function parseExposition(text: string): ExpositionSample[] {
  const out: ExpositionSample[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start && text.charCodeAt(start) !== HASH) {
      const line = text.slice(start, end).trimEnd();
      const sample = line === '' ? undefined : parseSampleLine(line, nameEndOf(line));
      if (sample) out.push(sample);
    }
    start = end + 1;
  }
  return out;
}

/**
 * The samples of metric `name` whose labels include every `match` pair. Only lines that start with
 * the name followed by `{` or a space are looked at further.
 */
export function selectSamples(
  text: string,
  name: string,
  match: Record<string, string> = {},
): ExpositionSample[] {
  const out: ExpositionSample[] = [];
  const wanted = Object.entries(match);
  let at = 0;
  const n = text.length;
  while (at < n) {
    const found = text.indexOf(name, at);
    if (found < 0) break;
    const lineEnd = text.indexOf('\n', found);
    const end = lineEnd < 0 ? n : lineEnd;
    // The name must start a line and be followed by `{` or white space (node_load1 ≠ node_load15).
    const atLineStart = found === 0 || text.charCodeAt(found - 1) === NEWLINE;
    const after = text.charCodeAt(found + name.length);
    if (atLineStart && (after === BRACE || after === SPACE || after === TAB)) {
      const sample = parseSampleLine(text.slice(found, end).trimEnd(), name.length);
      if (sample && wanted.every(([k, v]) => sample.labels[k] === v)) out.push(sample);
    }
    at = end + 1;
  }
  return out;
}
