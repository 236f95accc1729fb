import type { StatementSync } from 'node:sqlite';
import type { Connection } from './connection.ts';
import type { MetaTable } from './meta-table.ts';

/**
 * Progress of moving a sealed generation, kept in meta in the same transactions as the moves: log
 * rows with seq <= seq belong to it, and series with id < next are already in samples.
 */
interface SealedProgress {
  seq: number;
  next: number;
}

const PROGRESS_KEY = 'metrics.buffer.sealed';
/**
 * Most series one move touches: each is at least one page of samples read and written, so this
 * (more than the sample count) bounds how long a move takes.
 */
const SERIES_PER_MOVE = 1000;

/** One series' buffered samples in arrival order; for equal t the later one wins. */
class SeriesSamples {
  readonly t: number[] = [];
  readonly v: number[] = [];
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  push(t: number, v: number): void {
    this.t.push(t);
    this.v.push(v);
    if (t < this.min) this.min = t;
    if (t > this.max) this.max = t;
  }

  /** Samples sorted by t, one per t (the last written). */
  sorted(): { t: number[]; v: number[] } {
    const { t, v } = this;
    let increasing = true;
    for (let i = 1; i < t.length && increasing; i++) increasing = t[i]! > t[i - 1]!;
    if (increasing) return { t, v };
    const order = t.map((_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
    const out = { t: [] as number[], v: [] as number[] };
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const next = order[k + 1];
      if (next !== undefined && t[next] === t[i]) continue; // a later write of the same t follows
      out.t.push(t[i]!);
      out.v.push(v[i]!);
    }
    return out;
  }
}

/** Rows per multi-row INSERT: one statement call per 64 rows is ~3x cheaper than one per row. */
const ROWS_PER_INSERT = 64;

/**
 * Inserts (series_id, t, v) rows through a 64-row statement and a one-row statement for the rest.
 * Rows are queued with add() and written by flush() (or when 64 are queued).
 */
class RowWriter {
  readonly #many: StatementSync;
  readonly #one: StatementSync;
  readonly #args: number[] = [];

  constructor(conn: Connection, insertInto: string) {
    this.#many = conn.statement(
      `${insertInto} VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?)').join(', ')}`,
    );
    this.#one = conn.statement(`${insertInto} VALUES (?, ?, ?)`);
  }

  add(seriesId: number, t: number, v: number): void {
    const args = this.#args;
    args.push(seriesId, t, v);
    if (args.length === ROWS_PER_INSERT * 3) {
      this.#many.run(...args);
      args.length = 0;
    }
  }

  flush(): void {
    const args = this.#args;
    for (let i = 0; i < args.length; i += 3) this.#one.run(args[i]!, args[i + 1]!, args[i + 2]!);
    args.length = 0;
  }

  /** Forgets queued rows (their transaction is rolling back). */
  discard(): void {
    this.#args.length = 0;
  }
}

/** What one step of moving the buffer into the samples table did. */
export interface BufferStep {
  /** Samples written into samples. */
  moved: number;
  /** Log rows deleted (their samples were moved before). */
  deleted: number;
  /** True when there was nothing to do (no sealed generation, current one below the threshold). */
  idle: boolean;
}

/**
 * Samples between writeSamples and the samples table. Each write is appended to samples_recent (a
 * log in arrival order, cheap to commit) and kept in memory per series. Later, a generation of the
 * buffer is sealed and moved into samples series by series, in bounded steps, each a transaction;
 * when all of it is there, its log rows are deleted (in bounded chunks too). Queries read the
 * memory copy on top of samples. A crash anywhere in between loses nothing: the log is replayed on
 * open, skipping what meta says was moved already, and moving the same rows again would only write
 * the same values.
 */
export class WriteBuffer {
  readonly #conn: Connection;
  readonly #meta: MetaTable;
  readonly #append: RowWriter;
  readonly #move: RowWriter;
  /** Written since the last seal. */
  #current = new Map<number, SeriesSamples>();
  #currentCount = 0;
  /** The sealed generation (log rows with seq <= #sealedSeq), shrinking as series are moved. */
  #sealed = new Map<number, SeriesSamples>();
  #sealedOrder: number[] = [];
  #sealedNext = 0;
  #sealedCount = 0;
  #sealedSeq = 0;

  constructor(conn: Connection, meta: MetaTable) {
    this.#conn = conn;
    this.#meta = meta;
    this.#append = new RowWriter(conn, 'INSERT INTO samples_recent (series_id, t, v)');
    // Samples in the buffer are newer than what samples holds for the same time: they replace it.
    this.#move = new RowWriter(conn, 'INSERT OR REPLACE INTO samples (series_id, t, v)');
    this.reload();
  }

  /** True while a sealed generation is being moved into samples. */
  get moving(): boolean {
    return this.#sealedSeq !== 0;
  }

  /** Samples held (both generations). */
  get size(): number {
    return this.#currentCount + this.#sealedCount;
  }

  /**
   * Appends one sample, inside the caller's transaction; call endBatch() before it commits, and
   * reload() if it rolls back.
   */
  add(seriesId: number, t: number, v: number): void {
    this.#append.add(seriesId, t, v);
    let s = this.#current.get(seriesId);
    if (s === undefined) {
      s = new SeriesSamples();
      this.#current.set(seriesId, s);
    }
    s.push(t, v);
    this.#currentCount++;
  }

  /** Writes the rows add() still holds. */
  endBatch(): void {
    this.#append.flush();
  }

  /** Rebuilds the memory copy from the log (on open, and after a rolled-back write). */
  reload(): void {
    this.#append.discard();
    this.#current = new Map();
    this.#currentCount = 0;
    this.#sealed = new Map();
    this.#sealedOrder = [];
    this.#sealedNext = 0;
    this.#sealedCount = 0;
    this.#sealedSeq = 0;
    const saved = this.#meta.get(PROGRESS_KEY);
    const progress = saved ? (JSON.parse(saved) as SealedProgress) : null;
    const rows = this.#conn.statement('SELECT seq, series_id, t, v FROM samples_recent ORDER BY seq');
    rows.setReturnArrays(true);
    for (const row of rows.iterate() as Iterable<unknown> as Iterable<[number, number, number, number]>) {
      const [seq, id, t, v] = row;
      let gen = this.#current;
      if (progress !== null && seq <= progress.seq) {
        if (id < progress.next) continue; // moved already
        gen = this.#sealed;
        this.#sealedCount++;
      } else this.#currentCount++;
      let s = gen.get(id);
      if (s === undefined) {
        s = new SeriesSamples();
        gen.set(id, s);
      }
      s.push(t, v);
    }
    if (progress !== null) {
      this.#sealedSeq = progress.seq;
      this.#sealedOrder = [...this.#sealed.keys()].sort((a, b) => a - b);
    }
  }

  /** Buffered samples of one series with from <= t < to, sorted by t, the newest write per t. */
  rows(seriesId: number, from: number, to: number): { t: number[]; v: number[] } | null {
    const parts: SeriesSamples[] = [];
    for (const gen of [this.#sealed, this.#current]) {
      const s = gen.get(seriesId);
      if (s !== undefined && s.max >= from && s.min < to) parts.push(s);
    }
    if (parts.length === 0) return null;
    const byT = new Map<number, number>();
    for (const s of parts) {
      for (let i = 0; i < s.t.length; i++) {
        const t = s.t[i]!;
        if (t >= from && t < to) byT.set(t, s.v[i]!);
      }
    }
    if (byT.size === 0) return null;
    const t = [...byT.keys()].sort((a, b) => a - b);
    return { t, v: t.map((x) => byT.get(x)!) };
  }

  /** Earliest buffered time over all series (Infinity when empty). */
  minT(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const gen of [this.#sealed, this.#current]) {
      for (const s of gen.values()) if (s.min < min) min = s.min;
    }
    return min;
  }

  /** Earliest / latest buffered time of a series, null when it has nothing buffered. */
  span(seriesId: number): { first: number; last: number } | null {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const gen of [this.#sealed, this.#current]) {
      const s = gen.get(seriesId);
      if (s === undefined) continue;
      first = Math.min(first, s.min);
      last = Math.max(last, s.max);
    }
    return first === Number.POSITIVE_INFINITY ? null : { first, last };
  }

  /**
   * One bounded step towards an empty buffer: seal the current generation when none is sealed and
   * it holds at least `sealAt` samples; move the next series of the sealed one into samples (whole
   * series, about `maxRows` samples, one transaction, `inTransaction` called inside it with the
   * count); once all are moved, delete its log rows, up to `maxRows` per step.
   */
  step(sealAt: number, maxRows: number, inTransaction: (moved: number) => void): BufferStep {
    if (this.#sealedSeq === 0) {
      if (this.#currentCount === 0 || this.#currentCount < sealAt)
        return { moved: 0, deleted: 0, idle: true };
      this.#seal();
    }
    if (this.#sealedNext < this.#sealedOrder.length) {
      return { moved: this.#moveSlice(maxRows, inTransaction), deleted: 0, idle: false };
    }
    return { moved: 0, deleted: this.#deleteMoved(maxRows), idle: false };
  }

  #seal(): void {
    const row = this.#conn.statement('SELECT max(seq) AS seq FROM samples_recent').get() as {
      seq: number | null;
    };
    this.#sealed = this.#current;
    this.#sealedCount = this.#currentCount;
    this.#sealedOrder = [...this.#sealed.keys()].sort((a, b) => a - b);
    this.#sealedNext = 0;
    this.#sealedSeq = row.seq ?? 0;
    this.#current = new Map();
    this.#currentCount = 0;
  }

  #moveSlice(maxRows: number, inTransaction: (moved: number) => void): number {
    let next = this.#sealedNext;
    let moved = 0;
    let held = 0;
    let lastId = 0;
    try {
      this.#conn.transaction(() => {
        // Whole series in id order: samples is clustered by series, so this writes page after page.
        const end = Math.min(this.#sealedOrder.length, next + SERIES_PER_MOVE);
        while (next < end && moved < maxRows) {
          const id = this.#sealedOrder[next++]!;
          lastId = id;
          const s = this.#sealed.get(id)!;
          const { t, v } = s.sorted();
          for (let i = 0; i < t.length; i++) this.#move.add(id, t[i]!, v[i]!);
          moved += t.length;
          held += s.t.length;
        }
        this.#move.flush();
        const progress: SealedProgress = { seq: this.#sealedSeq, next: lastId + 1 };
        this.#meta.set(PROGRESS_KEY, JSON.stringify(progress));
        inTransaction(moved);
      });
    } catch (err) {
      this.#move.discard();
      throw err;
    }
    for (let i = this.#sealedNext; i < next; i++) this.#sealed.delete(this.#sealedOrder[i]!);
    this.#sealedNext = next;
    this.#sealedCount -= held;
    return moved;
  }

  #deleteMoved(maxRows: number): number {
    const row = this.#conn.statement('SELECT min(seq) AS seq FROM samples_recent').get() as {
      seq: number | null;
    };
    const upTo = Math.min(this.#sealedSeq, (row.seq ?? this.#sealedSeq) + maxRows - 1);
    const finished = upTo >= this.#sealedSeq;
    const deleted = this.#conn.transaction(() => {
      const r = this.#conn.statement('DELETE FROM samples_recent WHERE seq <= ?').run(upTo);
      if (finished) this.#meta.delete(PROGRESS_KEY);
      return Number(r.changes);
    });
    if (finished) {
      this.#sealed = new Map();
      this.#sealedOrder = [];
      this.#sealedNext = 0;
      this.#sealedCount = 0;
      this.#sealedSeq = 0;
    }
    return deleted;
  }
}
