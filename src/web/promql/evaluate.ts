import type { RangePoint, SeriesInfo, Store } from '../../store/types.ts';
import type { Expr, Matcher } from './parse.ts';

/** A series of the result: labels (with __name__ for plain selectors) and one value per step. */
export interface EvalSeries {
  labels: Record<string, string>;
  values: (number | null)[];
}

export const LOOKBACK_MS = 5 * 60_000;
const MAX_SERIES = 2000;

function matches(m: Matcher, value: string | undefined): boolean {
  const v = value ?? '';
  if (m.op === '=') return v === m.value;
  if (m.op === '!=') return v !== m.value;
  const re = new RegExp(`^(?:${m.value})$`);
  return m.op === '=~' ? re.test(v) : !re.test(v);
}

/** The stored series a selector names (its metric name is the __name__ label). */
export function selectSeries(store: Store, name: string | null, matchers: Matcher[]): SeriesInfo[] {
  const eqName = name ?? matchers.find((m) => m.label === '__name__' && m.op === '=')?.value;
  // Equality matchers go to the store (indexed: a host's series, a name); the rest filter here.
  const labels = Object.fromEntries(
    matchers.filter((m) => m.op === '=' && m.label !== '__name__').map((m) => [m.label, m.value]),
  );
  const candidates = store.listSeries({ ...(eqName ? { name: eqName } : {}), labels });
  const out = candidates.filter((s) =>
    matchers.every((m) => matches(m, m.label === '__name__' ? s.name : s.labels[m.label])),
  );
  if (out.length > MAX_SERIES) {
    throw new Error(`the selector matches ${out.length} series (at most ${MAX_SERIES}); add label matchers`);
  }
  return out;
}

function pointsOf(store: Store, s: SeriesInfo, from: number, to: number, stepMs: number): RangePoint[] {
  return store.queryRange({ series: s.key, from, to: to + 1, stepMs: Math.max(1000, stepMs) })?.points ?? [];
}

function windowed(points: RangePoint[], t: number, rangeMs: number): RangePoint[] {
  // points are sorted by time; a linear scan is fine for the sizes a graph asks for.
  return points.filter((p) => p.t > t - rangeMs && p.t <= t);
}

function rangeFn(fn: string, w: RangePoint[], rangeMs: number): number | null {
  if (w.length === 0) return null;
  if (fn === 'count_over_time') return w.length;
  if (fn === 'avg_over_time') return w.reduce((n, p) => n + p.avg, 0) / w.length;
  if (fn === 'sum_over_time') return w.reduce((n, p) => n + p.avg, 0);
  if (fn === 'max_over_time') return Math.max(...w.map((p) => p.max));
  if (fn === 'min_over_time') return Math.min(...w.map((p) => p.min));
  if (w.length < 2) return null;
  if (fn === 'irate') {
    const a = w[w.length - 2]!;
    const b = w[w.length - 1]!;
    const d = b.avg >= a.avg ? b.avg - a.avg : b.avg;
    return d / ((b.t - a.t) / 1000);
  }
  // Counter increase with resets (a drop means the counter restarted from zero).
  let inc = 0;
  for (let i = 1; i < w.length; i++) {
    const d = w[i]!.avg - w[i - 1]!.avg;
    inc += d >= 0 ? d : w[i]!.avg;
  }
  const covered = (w[w.length - 1]!.t - w[0]!.t) / 1000;
  if (covered <= 0) return null;
  const perSecond = inc / covered;
  return fn === 'rate' ? perSecond : perSecond * (rangeMs / 1000);
}

function groupKey(
  labels: Record<string, string>,
  by: string[] | null,
  without: string[] | null,
): Record<string, string> {
  if (by) return Object.fromEntries(by.filter((l) => labels[l] !== undefined).map((l) => [l, labels[l]!]));
  if (!without) return {};
  const drop = new Set([...(without ?? []), '__name__']);
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !drop.has(k)));
}

/** Evaluates an expression at each of `times` (ms); `stepMs` picks the stored resolution. */
export function evaluate(store: Store, expr: Expr, times: number[], stepMs: number): EvalSeries[] {
  const first = times[0] ?? Date.now();
  const last = times[times.length - 1] ?? first;
  if (expr.type === 'number') return [{ labels: {}, values: times.map(() => expr.value) }];
  if (expr.type === 'selector') {
    return selectSeries(store, expr.name, expr.matchers).map((s) => {
      const pts = pointsOf(store, s, first - LOOKBACK_MS, last, stepMs);
      return {
        labels: { __name__: s.name, ...s.labels },
        values: times.map((t) => {
          const w = windowed(pts, t, LOOKBACK_MS);
          return w.length ? w[w.length - 1]!.avg : null;
        }),
      };
    });
  }
  if (expr.type === 'call') {
    const range = expr.arg.rangeMs!;
    return selectSeries(store, expr.arg.name, expr.arg.matchers).map((s) => {
      // Buckets of 1/60 of the range (at least 1 s): a rate's ends then sit within ~2 % of the
      // samples they stand for. Quarter-range buckets averaged a counter over seconds and put it at
      // the bucket's start, which read rate(x[15s]) about 20 % low.
      const pts = pointsOf(store, s, first - range, last, Math.min(stepMs, Math.max(1000, range / 60)));
      return {
        labels: { ...s.labels },
        values: times.map((t) => rangeFn(expr.fn, windowed(pts, t, range), range)),
      };
    });
  }
  const inner = evaluate(store, expr.arg, times, stepMs);
  const groups = new Map<string, { labels: Record<string, string>; members: EvalSeries[] }>();
  for (const s of inner) {
    const labels = groupKey(s.labels, expr.by, expr.without);
    const key = JSON.stringify(Object.entries(labels).sort());
    const g = groups.get(key) ?? { labels, members: [] };
    groups.set(key, g);
    g.members.push(s);
  }
  return [...groups.values()].map((g) => ({
    labels: g.labels,
    values: times.map((_, i) => {
      const vs = g.members.map((m) => m.values[i]).filter((v): v is number => v !== null && v !== undefined);
      if (vs.length === 0) return null;
      if (expr.op === 'sum') return vs.reduce((a, b) => a + b, 0);
      if (expr.op === 'avg') return vs.reduce((a, b) => a + b, 0) / vs.length;
      if (expr.op === 'max') return Math.max(...vs);
      if (expr.op === 'min') return Math.min(...vs);
      return vs.length;
    }),
  }));
}
