import { FIVE_MINUTES_MS, ONE_HOUR_MS } from '../resolution.ts';
import type { Connection } from './connection.ts';

/*
 * Rollups are computed from closed buckets only, in time order: meta remembers the boundary up to
 * which every bucket is rolled, and each step writes its rows and moves the boundary in one
 * transaction. A crash leaves either both or neither, so nothing is counted twice or skipped, and
 * running a step again over the same span rewrites identical rows (INSERT OR REPLACE).
 *
 * The samples are clustered by series, not time, so "every series between a and b" is read as one
 * index seek per series (series CROSS JOIN samples keeps that loop order), not a table scan.
 */

/** Rolls raw samples with a <= t < b (5m-aligned) into rollup_5m; returns rows written. */
export function rollFiveMinute(conn: Connection, a: number, b: number): number {
  const r = conn
    .statement(
      `INSERT OR REPLACE INTO rollup_5m (series_id, t, min, max, sum, count)
       SELECT r.series_id, r.t - r.t % ${FIVE_MINUTES_MS} AS bucket, min(r.v), max(r.v), sum(r.v), count(*)
       FROM series s CROSS JOIN samples r ON r.series_id = s.id AND r.t >= ? AND r.t < ?
       GROUP BY r.series_id, bucket`,
    )
    .run(a, b);
  return Number(r.changes);
}

/** Rolls 5m rows with a <= t < b (hour-aligned) into rollup_1h; returns rows written. */
export function rollHourly(conn: Connection, a: number, b: number): number {
  const r = conn
    .statement(
      `INSERT OR REPLACE INTO rollup_1h (series_id, t, min, max, sum, count)
       SELECT r.series_id, r.t - r.t % ${ONE_HOUR_MS} AS bucket, min(r.min), max(r.max), sum(r.sum), sum(r.count)
       FROM series s CROSS JOIN rollup_5m r ON r.series_id = s.id AND r.t >= ? AND r.t < ?
       GROUP BY r.series_id, bucket`,
    )
    .run(a, b);
  return Number(r.changes);
}

/** Recomputes one 5m bucket of one series from raw (a sample arrived after it was rolled). */
export function rerollFiveMinuteBucket(conn: Connection, seriesId: number, bucket: number): void {
  conn
    .statement(
      `INSERT OR REPLACE INTO rollup_5m (series_id, t, min, max, sum, count)
       SELECT series_id, ?2, min(v), max(v), sum(v), count(*) FROM samples
       WHERE series_id = ?1 AND t >= ?2 AND t < ?2 + ${FIVE_MINUTES_MS} GROUP BY series_id`,
    )
    .run(seriesId, bucket);
}

/** Recomputes one 1h bucket of one series from its 5m rows. */
export function rerollHourlyBucket(conn: Connection, seriesId: number, bucket: number): void {
  conn
    .statement(
      `INSERT OR REPLACE INTO rollup_1h (series_id, t, min, max, sum, count)
       SELECT series_id, ?2, min(min), max(max), sum(sum), sum(count) FROM rollup_5m
       WHERE series_id = ?1 AND t >= ?2 AND t < ?2 + ${ONE_HOUR_MS} GROUP BY series_id`,
    )
    .run(seriesId, bucket);
}

/** Earliest raw sample time over all series (one seek per series), null when there is none. */
export function earliestRawTime(conn: Connection): number | null {
  const row = conn
    .statement(
      `SELECT min((SELECT t FROM samples WHERE series_id = s.id ORDER BY t LIMIT 1)) AS t FROM series s`,
    )
    .get() as { t: number | null };
  return row.t;
}
