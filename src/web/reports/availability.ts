/**
 * Availability of one host or service over a period, from its HARD state history and downtimes:
 * time in each state, outages with durations, and SLA % where time in a scheduled downtime does not
 * count against it (Nagios/Icinga "scheduled downtime" availability semantics).
 * Services: CRITICAL and UNKNOWN are outages (WARNING is degraded but available). Hosts: DOWN and
 * UNREACHABLE are outages. Pure: the caller gathers events and downtimes.
 */
export interface ReportObject {
  id: string;
  kind: 'host' | 'service';
  host: string;
  name: string;
  environment: string;
}

export interface Outage {
  start: number;
  end: number;
  state: number;
  durationMs: number;
  /** Part of the outage inside scheduled downtime (not counted against the SLA). */
  inDowntimeMs: number;
}

export interface Availability {
  object: ReportObject;
  from: number;
  to: number;
  /** ms spent in each state code. */
  timeInState: Record<number, number>;
  outages: Outage[];
  /** Outage time outside downtimes. */
  unplannedOutageMs: number;
  downtimeMs: number;
  /**
   * Time before monitoring began (the object's first result): neither up nor down. Nagios calls it
   * "undetermined"; it counts neither for nor against the SLA.
   */
  undeterminedMs: number;
  /** 0..100, over the determined time; 100 when nothing was determined (see undeterminedMs). */
  slaPercent: number;
}

export function isOutage(kind: 'host' | 'service', state: number): boolean {
  return kind === 'host' ? state !== 0 : state === 2 || state === 3;
}

/** Length of [a, b) covered by the (possibly overlapping) intervals. */
function covered(a: number, b: number, intervals: [number, number][]): number {
  const clipped = intervals
    .map(([s, e]) => [Math.max(s, a), Math.min(e, b)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curS = -1;
  let curE = -1;
  for (const [s, e] of clipped) {
    if (s > curE) {
      if (curE > curS) total += curE - curS;
      curS = s;
      curE = e;
    } else curE = Math.max(curE, e);
  }
  if (curE > curS) total += curE - curS;
  return total;
}

/**
 * @param initialState the HARD state in effect at `from` (the last HARD change before it; 0 if none)
 * @param changes HARD state changes inside [from, to), any order
 * @param downtimes intervals the object was in scheduled downtime
 * @param monitoredFrom when the object got its first result (null: before `from`, or not known)
 */
export function availability(
  object: ReportObject,
  from: number,
  to: number,
  initialState: number,
  changes: { time: number; state: number }[],
  downtimes: [number, number][],
  monitoredFrom: number | null = null,
): Availability {
  const timeInState: Record<number, number> = {};
  const determinedFrom = Math.min(to, Math.max(from, monitoredFrom ?? from));
  // Segments of constant HARD state covering [determinedFrom, to).
  const segments: { start: number; end: number; state: number }[] = [];
  let t = determinedFrom;
  let state = initialState;
  for (const c of changes
    .filter((c) => c.time >= determinedFrom && c.time < to)
    .sort((a, b) => a.time - b.time)) {
    if (c.time > t) segments.push({ start: t, end: c.time, state });
    t = Math.max(t, c.time);
    state = c.state;
  }
  if (to > t) segments.push({ start: t, end: to, state });
  // Consecutive outage segments (CRITICAL then UNKNOWN, say) are one outage, named by its first state.
  const outages: Outage[] = [];
  let open: Outage | null = null;
  for (const seg of segments) {
    timeInState[seg.state] = (timeInState[seg.state] ?? 0) + (seg.end - seg.start);
    if (isOutage(object.kind, seg.state)) {
      if (open) open.end = seg.end;
      else open = { start: seg.start, end: seg.end, state: seg.state, durationMs: 0, inDowntimeMs: 0 };
    } else if (open) {
      outages.push(open);
      open = null;
    }
  }
  if (open) outages.push(open);
  for (const o of outages) {
    o.durationMs = o.end - o.start;
    o.inDowntimeMs = covered(o.start, o.end, downtimes);
  }
  const total = to - determinedFrom;
  const unplannedOutageMs = outages.reduce((n, o) => n + o.durationMs - o.inDowntimeMs, 0);
  return {
    object,
    from,
    to,
    timeInState,
    outages,
    unplannedOutageMs,
    downtimeMs: covered(determinedFrom, to, downtimes),
    undeterminedMs: determinedFrom - from,
    slaPercent: total > 0 ? Math.round((1 - unplannedOutageMs / total) * 1e6) / 1e4 : 100,
  };
}
