import type { SeriesRef } from './types.ts';

/**
 * A series' canonical key, as Prometheus prints a series: `name{a="x",b="y"}`, labels sorted by
 * name, values escaped (\\ \" \n). A label with an empty value is the same as no label (Prometheus
 * semantics), so it is left out; a series without labels is just `name`.
 */
export function seriesKey(ref: SeriesRef): string {
  const labels = ref.labels;
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let body = '';
  for (const n of names) {
    const v = labels[n];
    if (v === undefined || v === '') continue;
    body += (body === '' ? '' : ',') + n + '="' + escapeLabelValue(v) + '"';
  }
  return body === '' ? ref.name : ref.name + '{' + body + '}';
}

const NEEDS_ESCAPE = /[\\"\n]/;

export function escapeLabelValue(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c));
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Parses a key written as Prometheus prints a series (labels in any order); null when it is not one.
 * Lets callers name a series by a key they typed, not only by the exact canonical string.
 */
export function parseSeriesKey(key: string): SeriesRef | null {
  const brace = key.indexOf('{');
  const name = brace < 0 ? key : key.slice(0, brace);
  if (!METRIC_NAME.test(name)) return null;
  const labels: Record<string, string> = {};
  if (brace < 0) return { name, labels };
  let i = brace + 1;
  const at = (j: number) => key.charAt(j);
  while (i < key.length && at(i) !== '}') {
    const eq = key.indexOf('=', i);
    if (eq < 0) return null;
    const label = key.slice(i, eq).trim();
    if (!LABEL_NAME.test(label) || at(eq + 1) !== '"') return null;
    let value = '';
    let j = eq + 2;
    for (; j < key.length && at(j) !== '"'; j++) {
      if (at(j) === '\\') {
        j++;
        const c = at(j);
        value += c === 'n' ? '\n' : c;
      } else value += at(j);
    }
    if (j >= key.length) return null;
    labels[label] = value;
    i = j + 1;
    if (at(i) === ',') i++;
    while (at(i) === ' ') i++;
  }
  if (at(i) !== '}' || i !== key.length - 1) return null;
  return { name, labels };
}

/** Throws when the series could not be written or queried by Prometheus-compatible tools. */
export function assertValidSeries(ref: SeriesRef): void {
  if (!METRIC_NAME.test(ref.name)) {
    throw new Error(
      `invalid metric name "${ref.name}": a series name uses letters, digits, "_" and ":" and does not start with a digit`,
    );
  }
  for (const label of Object.keys(ref.labels)) {
    if (!LABEL_NAME.test(label)) {
      throw new Error(
        `invalid label name "${label}" on series "${ref.name}": label names use letters, digits and "_" and do not start with a digit`,
      );
    }
  }
}
