import type { PerfDatum } from '../../core/index.ts';

export interface ParsedPerfdata {
  perfdata: PerfDatum[];
  /** Tokens that are not perfdata, verbatim, so callers can show them instead of losing them. */
  garbage: string[];
}

/**
 * A perfdata value: the plugin guidelines allow [-0-9.]; plugins in the wild also print '+',
 * exponents and a decimal comma (from a localised printf), all unambiguous here because fields are
 * separated by ';'. The rest of the field is the unit of measurement.
 */
const VALUE_AND_UOM = /^([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?)([^;]*)$/;
const NUMBER_PREFIX = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?/;

function toNumber(text: string): number {
  return Number(text.includes(',') ? text.replace(',', '.') : text);
}

/** min/max carry no unit by the guidelines, but some plugins repeat it ("0%"): keep the number. */
function optionalNumber(field: string | undefined): number | undefined {
  if (field === undefined || field === '') return undefined;
  const m = NUMBER_PREFIX.exec(field);
  return m ? toNumber(m[0]) : undefined;
}

function optionalText(field: string | undefined): string | undefined {
  return field === undefined || field === '' ? undefined : field;
}

/** Parses `label=value[UOM];warn;crit;min;max` after the label; undefined when it is not perfdata. */
function parseDatum(label: string, spec: string): PerfDatum | undefined {
  if (label === '') return undefined;
  const fields = spec.split(';');
  const valueField = fields[0]!;
  let value: number;
  let uom: string;
  // 'U' is the guidelines' "value could not be determined"; NaN keeps the datum (with its
  // thresholds) while consumers that store numbers skip it.
  if (valueField === 'U') {
    value = Number.NaN;
    uom = '';
  } else {
    const m = VALUE_AND_UOM.exec(valueField);
    if (!m) return undefined;
    value = toNumber(m[1]!);
    uom = m[2]!;
  }
  const datum: PerfDatum = { label, value, uom };
  const warn = optionalText(fields[1]);
  if (warn !== undefined) datum.warn = warn;
  const crit = optionalText(fields[2]);
  if (crit !== undefined) datum.crit = crit;
  const min = optionalNumber(fields[3]);
  if (min !== undefined) datum.min = min;
  const max = optionalNumber(fields[4]);
  if (max !== undefined) datum.max = max;
  return datum;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * Parses a perfdata string as Nagios plugins print it: space-separated items
 * `'label'=value[UOM];[warn];[crit];[min];[max]`; labels are quoted when they contain spaces, with
 * '' for a literal quote; trailing empty fields may be dropped. Never throws: whatever is not
 * perfdata comes back in `garbage`.
 */
export function parsePerfdata(text: string): ParsedPerfdata {
  const perfdata: PerfDatum[] = [];
  const garbage: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const tokenStart = i;
    let label: string;
    if (text.charCodeAt(i) === 39 /* ' */) {
      // Quoted label: runs to the next quote that is not doubled.
      let j = i + 1;
      let unescaped = '';
      let closed = false;
      while (j < n) {
        const q = text.indexOf("'", j);
        if (q < 0) break;
        unescaped += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 39) {
          unescaped += "'";
          j = q + 2;
        } else {
          j = q + 1;
          closed = true;
          break;
        }
      }
      if (!closed || text.charCodeAt(j) !== 61 /* = */) {
        // Unterminated quote or no '=' after it: skip to the end of this word.
        i = closed ? j : n;
        while (i < n && !isSpace(text.charCodeAt(i))) i++;
        garbage.push(text.slice(tokenStart, i));
        continue;
      }
      label = unescaped;
      i = j + 1;
    } else {
      let j = i;
      while (j < n && text.charCodeAt(j) !== 61 && !isSpace(text.charCodeAt(j))) j++;
      if (j >= n || text.charCodeAt(j) !== 61) {
        i = j;
        garbage.push(text.slice(tokenStart, i));
        continue;
      }
      label = text.slice(i, j);
      i = j + 1;
    }
    const specStart = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    const datum = parseDatum(label, text.slice(specStart, i));
    if (datum) perfdata.push(datum);
    else garbage.push(text.slice(tokenStart, i));
  }
  return { perfdata, garbage };
}
