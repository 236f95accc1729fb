import type { Connection } from './connection.ts';
import type { MetaTable } from './meta-table.ts';

export type MetricTable = 'samples' | 'rollup_5m' | 'rollup_1h';

/**
 * How far retention has cut a metric table: every series holds nothing older than `done`; a pass
 * towards a newer cutoff may be under way, series by series, `next` being the next series id.
 */
export interface RetentionState {
  done: number;
  pass: { cutoff: number; next: number } | null;
}

const SERIES_PER_TRANSACTION = 500;

export function retentionMetaKey(table: MetricTable): string {
  return `metrics.retention.${table}`;
}

export function loadRetentionState(meta: MetaTable, table: MetricTable): RetentionState {
  const raw = meta.get(retentionMetaKey(table));
  if (!raw) return { done: Number.NEGATIVE_INFINITY, pass: null };
  const state = JSON.parse(raw) as { done: number | null; pass: RetentionState['pass'] };
  // JSON has no -Infinity ("nothing cut yet"): it is stored as null.
  return { done: state.done ?? Number.NEGATIVE_INFINITY, pass: state.pass };
}

/** The oldest time a table can still hold rows for (writes older than this are pointless). */
export function retentionFloor(state: RetentionState): number {
  return Math.max(state.done, state.pass?.cutoff ?? Number.NEGATIVE_INFINITY);
}

/**
 * Deletes rows with t < cutoff from a metric table. The table is clustered by series, so "t <
 * cutoff" for all series is one ranged delete per series, SERIES_PER_TRANSACTION series per
 * transaction; between transactions it stops when `overBudget` says so and the next call resumes
 * where it left off (the position is kept in meta, in the same transaction as the deletes).
 * Returns the rows deleted and whether the table is fully cut.
 */
export function applyRetention(
  conn: Connection,
  meta: MetaTable,
  table: MetricTable,
  cutoff: number,
  overBudget: () => boolean,
  onProgress: (state: RetentionState, deleted: number) => void,
): { deleted: number; finished: boolean } {
  let state = loadRetentionState(meta, table);
  if (!state.pass) {
    if (cutoff <= state.done) return { deleted: 0, finished: true };
    state = { done: state.done, pass: { cutoff, next: 0 } };
  }
  const select = conn.statement('SELECT id FROM series WHERE id >= ? ORDER BY id LIMIT ?');
  const del = conn.statement(`DELETE FROM ${table} WHERE series_id = ? AND t < ?`);
  let deleted = 0;
  while (state.pass) {
    const pass = state.pass;
    const ids = select.all(pass.next, SERIES_PER_TRANSACTION) as { id: number }[];
    const last = ids[ids.length - 1];
    const next: RetentionState =
      ids.length < SERIES_PER_TRANSACTION || last === undefined
        ? { done: pass.cutoff, pass: null }
        : { done: state.done, pass: { cutoff: pass.cutoff, next: last.id + 1 } };
    let batch = 0;
    conn.transaction(() => {
      for (const { id } of ids) batch += Number(del.run(id, pass.cutoff).changes);
      meta.set(retentionMetaKey(table), JSON.stringify(next));
      onProgress(next, batch);
    });
    deleted += batch;
    state = next;
    if (state.pass && overBudget()) return { deleted, finished: false };
  }
  return { deleted, finished: true };
}
