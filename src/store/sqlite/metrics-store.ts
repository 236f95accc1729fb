import type { StatementSync } from 'node:sqlite';
import {
  type BucketRow,
  type Coverage,
  FIVE_MINUTES_MS,
  floorTo,
  mergeBuckets,
  ONE_HOUR_MS,
  pickResolution,
  planSegments,
  RESOLUTION_MS,
  type Segment,
} from '../resolution.ts';
import type { RangeQuery, RangeResult, Resolution, RetentionSettings, Sample, SeriesInfo } from '../types.ts';
import type { Connection } from './connection.ts';
import type { MetaTable } from './meta-table.ts';
import { applyRetention, loadRetentionState, type MetricTable, retentionFloor } from './retention.ts';
import {
  earliestRawTime,
  rerollFiveMinuteBucket,
  rerollHourlyBucket,
  rollFiveMinute,
  rollHourly,
} from './rollups.ts';
import { SeriesRegistry } from './series-registry.ts';
import { WriteBuffer } from './write-buffer.ts';

export interface MetricsOptions {
  retention: RetentionSettings;
  now: () => number;
  /** A bucket is rolled up this long after it closed, so samples that arrive a little late count. */
  rollupLagMs: number;
  /** Buffered samples at which the buffer starts moving into samples (one slice per commit). */
  bufferFlushThreshold: number;
  /** About how many samples one slice moves (bounds the pause it causes). */
  bufferSliceSamples: number;
}

/** Work done by one maintenance call on the metric tables. */
export interface MetricsMaintenance {
  flushed: number;
  rolled5m: number;
  rolled1h: number;
  deletedRaw: number;
  deleted5m: number;
  deleted1h: number;
  done: boolean;
}

const META_ROLLED_5M = 'metrics.rollup_5m.until';
const META_ROLLED_1H = 'metrics.rollup_1h.until';
const META_RAW_COUNT = 'metrics.samples.count';
/** Time span rolled per transaction while catching up. */
const CHUNK_5M_MS = ONE_HOUR_MS;
const CHUNK_1H_MS = 24 * ONE_HOUR_MS;
function minOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function maxOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/** Larger than any epoch ms a sample can sensibly carry (year 2255); keeps Infinity out. */
const MAX_T = 9e12;
/** Prometheus' limit: more points than this is a mistake, not a graph. */
export const MAX_RANGE_POINTS = 11_000;

/**
 * Metric series, raw samples, rollups and their retention.
 *
 * Write path: samples go to the WriteBuffer (a log table plus a copy in memory) inside the
 * caller's transaction; slices of it move into samples when it grows, and all of it before
 * rollups run.
 * Read path: queryRange reads the preferred table and falls back to coarser or finer tables for
 * the parts of the range it does not hold (see planSegments).
 */
export class MetricsStore {
  readonly #conn: Connection;
  readonly #meta: MetaTable;
  readonly #opts: MetricsOptions;
  readonly registry: SeriesRegistry;
  readonly #buffer: WriteBuffer;
  /** Every 5m bucket before this is rolled up (-Infinity: nothing rolled yet). */
  #rolled5m: number;
  #rolled1h: number;
  /** Samples older than this are already past raw retention; writing them would be undone at once. */
  #rawFloor: number;
  /** Rows in samples (approximate: an overwritten sample counts again). */
  #rawCount: number;
  /** Samples written by transactions not yet followed by afterCommit(). */
  #unmoved = 0;
  /** Buckets (series id, 5m bucket start) that got samples after they were rolled up. */
  readonly #late = new Map<string, [number, number]>();

  constructor(conn: Connection, meta: MetaTable, opts: MetricsOptions) {
    this.#conn = conn;
    this.#meta = meta;
    this.#opts = opts;
    this.registry = new SeriesRegistry(conn);
    this.#buffer = new WriteBuffer(conn, meta);
    this.#rolled5m = meta.getNumber(META_ROLLED_5M) ?? Number.NEGATIVE_INFINITY;
    this.#rolled1h = meta.getNumber(META_ROLLED_1H) ?? Number.NEGATIVE_INFINITY;
    this.#rawFloor = retentionFloor(loadRetentionState(meta, 'samples'));
    this.#rawCount = meta.getNumber(META_RAW_COUNT) ?? 0;
  }

  /** Writes samples in the open transaction. Non-finite values and samples past retention are skipped. */
  write(samples: readonly Sample[]): void {
    const buffer = this.#buffer;
    const registry = this.registry;
    const rawFloor = this.#rawFloor;
    const rolled = this.#rolled5m;
    // Registered first: whatever fails below, a rollback leaves memory matching the log.
    const before = this.#unmoved;
    this.#conn.onRollback(() => {
      this.#buffer.reload();
      this.#unmoved = before;
    });
    let n = 0;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      const v = s.v;
      const t = Math.trunc(s.t);
      if (!Number.isFinite(v) || !(t >= rawFloor && t < MAX_T)) continue;
      const id = registry.idFor(s.series);
      buffer.add(id, t, v);
      n++;
      if (t < rolled) {
        const bucket = floorTo(t, FIVE_MINUTES_MS);
        this.#late.set(`${id}:${bucket}`, [id, bucket]);
      }
    }
    buffer.endBatch();
    this.#unmoved += n;
  }

  /**
   * After a commit: once the buffer has reached its threshold, moves (or deletes from the log) at
   * least as many samples as the transaction wrote, so the buffer stays bounded under any write
   * rate and each commit pays for its own share. Never throws: the caller's data is committed by
   * now, and an error here must not make it write the same data again. A failed move changes
   * nothing; runMaintenance retries it and reports its error.
   */
  afterCommit(): void {
    const owed = this.#unmoved;
    this.#unmoved = 0;
    if (!this.#buffer.moving && this.#buffer.size < this.#opts.bufferFlushThreshold) return;
    try {
      let work = 0;
      do {
        const step = this.#bufferStep(this.#opts.bufferFlushThreshold);
        if (step.idle) break;
        work += step.moved + step.deleted;
      } while (work < owed);
    } catch {
      this.#buffer.reload();
    }
  }

  #bufferStep(sealAt: number) {
    return this.#buffer.step(sealAt, this.#opts.bufferSliceSamples, (moved) => {
      this.#rawCount += moved;
      this.#meta.setNumber(META_RAW_COUNT, this.#rawCount);
      this.#conn.onRollback(() => {
        this.#rawCount -= moved;
      });
    });
  }

  /** Empties the write buffer, step by step; false when the budget ran out first. */
  #flushAll(overBudget: () => boolean, report: MetricsMaintenance): boolean {
    for (;;) {
      const step = this.#bufferStep(1);
      if (step.idle) return true;
      report.flushed += step.moved;
      if (overBudget()) return false;
    }
  }

  /**
   * Flushes the write buffer, re-rolls buckets that got late samples, rolls closed buckets up and
   * applies retention. Each step is its own transaction(s), so this must not run inside one.
   */
  maintain(now: number, overBudget: () => boolean): MetricsMaintenance {
    const report: MetricsMaintenance = {
      flushed: 0,
      rolled5m: 0,
      rolled1h: 0,
      deletedRaw: 0,
      deleted5m: 0,
      deleted1h: 0,
      done: false,
    };
    // Rollups read the samples table, so buffered samples they need must be moved first; the rest
    // stays buffered (moving more at a time is cheaper: more samples per page written).
    const target5m = floorTo(now - this.#opts.rollupLagMs, FIVE_MINUTES_MS);
    if ((this.#buffer.moving || this.#buffer.minT() < target5m) && !this.#flushAll(overBudget, report)) {
      return report;
    }
    this.#rerollLate();
    if (!this.#rollUp(target5m, overBudget, report)) return report;

    const { retention } = this.#opts;
    // Raw and 5m rows go only once rolled up, and only in whole buckets of the next coarser table,
    // so a table's first row for a series tells where its complete data starts (planSegments).
    const rawCutoff = Math.min(floorTo(now - retention.rawMs, FIVE_MINUTES_MS), this.#rolled5m);
    const fiveMinuteCutoff = Math.min(floorTo(now - retention.fiveMinuteMs, ONE_HOUR_MS), this.#rolled1h);
    const hourlyCutoff = now - retention.hourlyMs;
    const raw = applyRetention(this.#conn, this.#meta, 'samples', rawCutoff, overBudget, (state, deleted) => {
      const count = Math.max(0, this.#rawCount - deleted);
      this.#meta.setNumber(META_RAW_COUNT, count);
      this.#rawCount = count;
      this.#rawFloor = retentionFloor(state);
    });
    report.deletedRaw = raw.deleted;
    if (!raw.finished) return report;
    const five = this.#retain('rollup_5m', fiveMinuteCutoff, overBudget);
    report.deleted5m = five.deleted;
    if (!five.finished) return report;
    const hourly = this.#retain('rollup_1h', hourlyCutoff, overBudget);
    report.deleted1h = hourly.deleted;
    report.done = hourly.finished;
    return report;
  }

  #retain(table: MetricTable, cutoff: number, overBudget: () => boolean) {
    return applyRetention(this.#conn, this.#meta, table, cutoff, overBudget, () => {});
  }

  #rerollLate(): void {
    if (this.#late.size === 0) return;
    const late = [...this.#late.values()];
    this.#late.clear();
    this.#conn.transaction(() => {
      const hours = new Map<string, [number, number]>();
      for (const [id, bucket] of late) {
        if (bucket >= this.#rolled5m) continue;
        rerollFiveMinuteBucket(this.#conn, id, bucket);
        const hour = floorTo(bucket, ONE_HOUR_MS);
        if (hour < this.#rolled1h) hours.set(`${id}:${hour}`, [id, hour]);
      }
      for (const [id, hour] of hours.values()) rerollHourlyBucket(this.#conn, id, hour);
    });
  }

  /** Rolls every closed 5m bucket, then every hour whose 5m buckets are all rolled; false when out of budget. */
  #rollUp(target5m: number, overBudget: () => boolean, report: MetricsMaintenance): boolean {
    if (this.#rolled5m === Number.NEGATIVE_INFINITY) {
      const first = earliestRawTime(this.#conn);
      if (first === null) return true;
      // Start on an hour boundary so the 1h rollup starts with complete hours too.
      const start = floorTo(first, ONE_HOUR_MS);
      this.#conn.transaction(() => {
        this.#meta.setNumber(META_ROLLED_5M, start);
        this.#meta.setNumber(META_ROLLED_1H, start);
      });
      this.#rolled5m = start;
      this.#rolled1h = start;
    }
    while (this.#rolled5m < target5m) {
      const a = this.#rolled5m;
      const b = Math.min(target5m, a + CHUNK_5M_MS);
      this.#conn.transaction(() => {
        report.rolled5m += rollFiveMinute(this.#conn, a, b);
        this.#meta.setNumber(META_ROLLED_5M, b);
      });
      this.#rolled5m = b;
      if (overBudget() && b < target5m) return false;
    }
    const target1h = floorTo(this.#rolled5m, ONE_HOUR_MS);
    while (this.#rolled1h < target1h) {
      const a = this.#rolled1h;
      const b = Math.min(target1h, a + CHUNK_1H_MS);
      this.#conn.transaction(() => {
        report.rolled1h += rollHourly(this.#conn, a, b);
        this.#meta.setNumber(META_ROLLED_1H, b);
      });
      this.#rolled1h = b;
      if (overBudget() && b < target1h) return false;
    }
    return true;
  }

  /** Rolled-up boundaries: every bucket before them is in the rollup table. */
  get rolledUntil(): { '5m': number; '1h': number } {
    return { '5m': this.#rolled5m, '1h': this.#rolled1h };
  }

  query(q: RangeQuery): RangeResult | null {
    if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.to < q.from) {
      throw new RangeError(
        `queryRange: "from" (${q.from}) and "to" (${q.to}) must be epoch ms with from <= to`,
      );
    }
    if (!Number.isFinite(q.stepMs) || q.stepMs < 1) {
      throw new RangeError(`queryRange: stepMs must be at least 1 (got ${q.stepMs})`);
    }
    const found = this.registry.find(q.series);
    if (!found) return null;
    const resolution = pickResolution(q.from, q.stepMs, this.#opts.now(), this.#opts.retention);
    const stepMs = Math.max(Math.round(q.stepMs), RESOLUTION_MS[resolution]);
    const points = Math.floor((q.to - q.from) / stepMs) + 1;
    if (points > MAX_RANGE_POINTS) {
      throw new RangeError(
        `queryRange would return ${points} points (more than ${MAX_RANGE_POINTS}); use a larger step or a shorter range`,
      );
    }
    const from = Math.ceil(q.from);
    const to = Math.floor(q.to) + 1;
    const segments = planSegments(resolution, from, to, (r) => this.#coverage(found.id, r));
    const rows: BucketRow[] = [];
    for (const s of segments) this.#readBuckets(found.id, s, stepMs, rows);
    return { key: found.key, resolution, stepMs, points: mergeBuckets(rows) };
  }

  #coverage(id: number, r: Resolution): Coverage {
    if (r === '1h') return { lo: Number.NEGATIVE_INFINITY, hi: this.#rolled1h };
    if (r === '5m') {
      const hi = this.#rolled5m;
      const first = this.#firstT('rollup_5m', id);
      return { lo: first === null ? hi : Math.min(floorTo(first, ONE_HOUR_MS), hi), hi };
    }
    const inSamples = this.#firstT('samples', id);
    const inBuffer = this.#buffer.span(id)?.first ?? null;
    const first = minOf(inSamples, inBuffer);
    return {
      lo: first === null ? Number.POSITIVE_INFINITY : floorTo(first, FIVE_MINUTES_MS),
      hi: Number.POSITIVE_INFINITY,
    };
  }

  #firstT(table: 'samples' | 'rollup_5m', id: number): number | null {
    const row = this.#conn
      .statement(`SELECT t FROM ${table} WHERE series_id = ? ORDER BY t LIMIT 1`)
      .get(id) as { t: number } | undefined;
    return row ? row.t : null;
  }

  #readBuckets(id: number, s: Segment, stepMs: number, out: BucketRow[]): void {
    const buffered = s.resolution === 'raw' ? this.#buffer.rows(id, s.from, s.to) : null;
    if (buffered === null) {
      const rows = this.#bucketStatement(s.resolution).all(
        id,
        s.from,
        s.to,
        stepMs,
      ) as unknown as BucketRow[];
      for (const r of rows) out.push(r);
      return;
    }
    // Merge stored and buffered samples (the buffer is newer: it wins on equal t), then bucket.
    const select = this.#conn.statement(
      'SELECT t, v FROM samples WHERE series_id = ? AND t >= ? AND t < ? ORDER BY t',
    );
    select.setReturnArrays(true);
    const rows = select.all(id, s.from, s.to) as unknown as [number, number][];
    let bucket: BucketRow | null = null;
    const add = (t: number, v: number) => {
      const b = floorTo(t, stepMs);
      if (bucket !== null && bucket[0] === b) {
        bucket[1] += v;
        bucket[2]++;
        if (v < bucket[3]) bucket[3] = v;
        if (v > bucket[4]) bucket[4] = v;
      } else {
        bucket = [b, v, 1, v, v];
        out.push(bucket);
      }
    };
    let i = 0;
    let j = 0;
    while (i < rows.length || j < buffered.t.length) {
      const stored = rows[i];
      const bt = buffered.t[j];
      if (bt === undefined || (stored !== undefined && stored[0] < bt)) {
        add(stored![0], stored![1]);
        i++;
      } else {
        if (stored !== undefined && stored[0] === bt) i++;
        add(bt, buffered.v[j]!);
        j++;
      }
    }
  }

  #bucketStatement(r: Resolution): StatementSync {
    const table = r === 'raw' ? 'samples' : r === '5m' ? 'rollup_5m' : 'rollup_1h';
    const sql =
      r === 'raw'
        ? `SELECT t - t % ?4 AS b, sum(v), count(*), min(v), max(v)
           FROM samples WHERE series_id = ?1 AND t >= ?2 AND t < ?3 GROUP BY b ORDER BY b`
        : `SELECT t - t % ?4 AS b, sum(sum), sum(count), min(min), max(max)
           FROM ${table} WHERE series_id = ?1 AND t >= ?2 AND t < ?3 GROUP BY b ORDER BY b`;
    const stmt = this.#conn.statement(sql);
    stmt.setReturnArrays(true);
    return stmt;
  }

  listSeries(match: { name?: string; labels?: Record<string, string> } = {}): SeriesInfo[] {
    const where: string[] = [];
    const args: string[] = [];
    // A host's series come from the registry's in-memory index, not from a scan of every series.
    const host = match.labels?.host;
    if (host !== undefined && host !== '') {
      const ids = this.registry.idsOfHost(host);
      if (ids.length === 0) return [];
      where.push('s.id IN (SELECT value FROM json_each(?))');
      args.push(JSON.stringify(ids));
    }
    if (match.name !== undefined) {
      where.push('s.name = ?');
      args.push(match.name);
    }
    // Label names are bound, not spliced into the SQL, so callers can't grow the statement cache.
    for (const [label, value] of Object.entries(match.labels ?? {})) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) return [];
      // An empty value matches series without the label, as in Prometheus.
      if (value === '') {
        where.push('json_extract(s.labels, ?) IS NULL');
        args.push(`$.${label}`);
      } else {
        where.push('json_extract(s.labels, ?) = ?');
        args.push(`$.${label}`, value);
      }
    }
    const first = (table: string) => `(SELECT t FROM ${table} WHERE series_id = s.id ORDER BY t LIMIT 1)`;
    const last = (table: string) => `(SELECT t FROM ${table} WHERE series_id = s.id ORDER BY t DESC LIMIT 1)`;
    const sql = `SELECT s.id, s.key, s.name, s.labels, s.unit,
        ${first('rollup_1h')}, ${first('rollup_5m')}, ${first('samples')},
        ${last('rollup_1h')}, ${last('rollup_5m')}, ${last('samples')}
      FROM series s ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.key`;
    const stmt = this.#conn.statement(sql);
    stmt.setReturnArrays(true);
    type Row = [number, string, string, string, string | null, ...(number | null)[]];
    return (stmt.all(...args) as unknown as Row[]).map((r) => {
      const [, , , , , hourFirst, fiveFirst, rawFirst, hourLast, fiveLast, rawLast] = r;
      const buffered = this.#buffer.span(r[0]);
      // Raw times are exact; a rollup row only says "in this bucket", so it counts only for data
      // older (first) than the finer tables hold, and for the last time only when nothing finer is left.
      let firstT = minOf(rawFirst ?? null, buffered?.first ?? null);
      if (fiveFirst != null && (firstT === null || fiveFirst < floorTo(firstT, FIVE_MINUTES_MS)))
        firstT = fiveFirst;
      if (hourFirst != null && (firstT === null || hourFirst < floorTo(firstT, ONE_HOUR_MS)))
        firstT = hourFirst;
      const lastT = maxOf(rawLast ?? null, buffered?.last ?? null) ?? fiveLast ?? hourLast ?? null;
      const info: SeriesInfo = {
        id: r[0],
        key: r[1],
        name: r[2],
        labels: JSON.parse(r[3]) as Record<string, string>,
        firstT,
        lastT,
      };
      if (r[4] !== null) info.unit = r[4];
      return info;
    });
  }

  /** Raw samples stored, counted as they are written and deleted (no table scan). */
  get rawSamples(): number {
    return this.#rawCount + this.#buffer.size;
  }
}
