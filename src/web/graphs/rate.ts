/** A graph point as the dashboard sends it: [t, avg, min, max]. */
export type GraphPoint = [number, number, number, number];

/**
 * A counter's per-second rate between consecutive points. Each point's max is the counter's
 * value at the end of its bucket (counters only grow); a drop is a reset (restart), after which
 * the counter counted up from 0, as Prometheus' rate() assumes. Pure.
 */
export function perSecond(points: readonly GraphPoint[]): GraphPoint[] {
  const out: GraphPoint[] = [];
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]!;
    const cur = points[i]!;
    const seconds = (cur[0] - prev[0]) / 1000;
    if (seconds <= 0) continue;
    const delta = cur[3] >= prev[3] ? cur[3] - prev[3] : cur[3];
    const r = delta / seconds;
    out.push([cur[0], r, r, r]);
  }
  return out;
}
