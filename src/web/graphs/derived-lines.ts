/**
 * Lines computed from several stored series of one host, for exporters that expose raw figures
 * rather than percentages (the node exporter): used % from a total and what is free, a CPU mode's
 * share from per-mode time counters. The dashboard asks for such a line by its formula; the series
 * it reads are checked like any other. Pure.
 */
import { type GraphPoint, perSecond } from './rate.ts';

export type LineFormula =
  /**
   * Used % as df counts it: used = total - free; used / (used + avail) when avail (what an
   * unprivileged user may still write) is given, else used / total.
   */
  | { used: { total: string; free: string; avail?: string } }
  /** 100 × Σ rate(part) / Σ rate(whole): e.g. the CPU time not idle over all CPU time. */
  | { share: { part: string[]; whole: string[] } };

/** A derived line as the dashboard requests it: its own key (for the legend) and its formula. */
export interface DerivedLineRequest {
  key: string;
  of: LineFormula;
}

/** The series a formula reads, and whether each is read as a counter (rate). */
export function formulaInputs(f: LineFormula): { key: string; counter: boolean }[] {
  if ('used' in f) {
    const { total, free, avail } = f.used;
    return [total, free, ...(avail === undefined ? [] : [avail])].map((key) => ({ key, counter: false }));
  }
  return [...new Set([...f.share.part, ...f.share.whole])].map((key) => ({ key, counter: true }));
}

const clampPercent = (n: number) => Math.min(100, Math.max(0, n));
const point = (t: number, v: number): GraphPoint => [t, v, v, v];

/** Used % at each time all inputs have a point (bucket averages; a zero total gives no point). */
export function usedPercent(
  total: readonly GraphPoint[],
  free: readonly GraphPoint[],
  avail?: readonly GraphPoint[],
): GraphPoint[] {
  const freeAt = new Map(free.map((p) => [p[0], p[1]]));
  const availAt = avail ? new Map(avail.map((p) => [p[0], p[1]])) : undefined;
  const out: GraphPoint[] = [];
  for (const [t, size] of total) {
    const f = freeAt.get(t);
    if (f === undefined) continue;
    const used = size - f;
    let whole = size;
    if (availAt) {
      const a = availAt.get(t);
      if (a === undefined) continue;
      whole = used + a;
    }
    if (!(whole > 0)) continue;
    out.push(point(t, clampPercent((used / whole) * 100)));
  }
  return out;
}

/**
 * 100 × Σ rate(part) / Σ rate(whole) at each time every whole series has a rate. `counters` are
 * the raw points of each key (from one bucket before the range, as perSecond needs).
 */
export function shareOfRates(
  part: readonly string[],
  whole: readonly string[],
  counters: ReadonlyMap<string, readonly GraphPoint[]>,
): GraphPoint[] {
  const rates = new Map<string, Map<number, number>>();
  for (const key of new Set([...part, ...whole])) {
    rates.set(key, new Map(perSecond(counters.get(key) ?? []).map((p) => [p[0], p[1]])));
  }
  const first = rates.get(whole[0] ?? '');
  if (!first) return [];
  const sumAt = (keys: readonly string[], t: number): number | undefined => {
    let sum = 0;
    for (const key of keys) {
      const v = rates.get(key)?.get(t);
      if (v === undefined) return undefined;
      sum += v;
    }
    return sum;
  };
  const out: GraphPoint[] = [];
  for (const t of first.keys()) {
    const all = sumAt(whole, t);
    const some = sumAt(part, t);
    if (all === undefined || some === undefined || !(all > 0)) continue;
    out.push(point(t, clampPercent((some / all) * 100)));
  }
  return out;
}

/** The points of a derived line from its inputs' points (gauges as read, counters from a bucket earlier). */
export function derivedPoints(
  f: LineFormula,
  points: ReadonlyMap<string, readonly GraphPoint[]>,
): GraphPoint[] {
  if ('used' in f) {
    const { total, free, avail } = f.used;
    return usedPercent(
      points.get(total) ?? [],
      points.get(free) ?? [],
      avail === undefined ? undefined : (points.get(avail) ?? []),
    );
  }
  return shareOfRates(f.share.part, f.share.whole, points);
}

const MAX_FORMULA_KEYS = 32;
const isKeyList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.length <= MAX_FORMULA_KEYS && v.every((k) => typeof k === 'string');

/** A `line=` query parameter (JSON), checked; a string says what is wrong with it. */
export function parseDerivedLine(text: string): DerivedLineRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'line is not JSON: expected {"key":"…","of":{"used":{…}}} or {"key":"…","of":{"share":{…}}}';
  }
  const v = value as {
    key?: unknown;
    of?: { used?: Record<string, unknown>; share?: Record<string, unknown> };
  };
  if (typeof v?.key !== 'string' || typeof v.of !== 'object' || v.of === null)
    return 'line needs a key (string) and a formula (of)';
  const used = v.of.used;
  if (used !== undefined) {
    const { total, free, avail } = used ?? {};
    if (
      typeof total !== 'string' ||
      typeof free !== 'string' ||
      !(avail === undefined || typeof avail === 'string')
    )
      return 'a used formula needs total and free (series keys) and optionally avail';
    return {
      key: v.key,
      of: { used: { total, free, ...(avail === undefined ? {} : { avail: avail as string }) } },
    };
  }
  const share = v.of.share;
  if (share !== undefined) {
    if (!isKeyList(share?.part) || !isKeyList(share?.whole))
      return `a share formula needs part and whole: lists of 1 to ${MAX_FORMULA_KEYS} series keys`;
    return { key: v.key, of: { share: { part: share.part, whole: share.whole } } };
  }
  return 'the formula (of) is neither used nor share';
}
