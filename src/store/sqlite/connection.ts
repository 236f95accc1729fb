import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { WalCheckpointer } from './wal-checkpointer.ts';

export const DATABASE_FILE = 'steward.db';
/** WAL size from which checkpoints move to a worker thread (SQLite's own threshold: 1000 pages). */
const WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024;

/**
 * One SQLite database with the settings Steward relies on, a cache of prepared statements and
 * nestable transactions. Everything is synchronous: node:sqlite is, and one writer (this process)
 * keeps the file consistent without locks of our own.
 */
export class Connection {
  readonly db: DatabaseSync;
  readonly path: string;
  readonly #statements = new Map<string, StatementSync>();
  /** Started once the WAL first grows past WAL_CHECKPOINT_BYTES: small stores never pay for a thread. */
  #checkpointer: WalCheckpointer | null = null;
  #commits = 0;
  #depth = 0;
  /** Undo actions for in-memory state changed inside the open transaction (run on rollback). */
  readonly #undo: (() => void)[] = [];

  constructor(dataDir: string) {
    this.path = join(dataDir, DATABASE_FILE);
    try {
      mkdirSync(dataDir, { recursive: true });
      // timeout = busy timeout: wait up to 5 s for a lock another connection (a CLI command, a
      // backup) holds, instead of failing at once with SQLITE_BUSY.
      this.db = new DatabaseSync(this.path, { timeout: 5000 });
    } catch (err) {
      throw new Error(
        `cannot open the store at ${this.path}: ${(err as Error).message}; check that the data directory exists and is writable`,
      );
    }
    let mode: { journal_mode: string } | undefined;
    try {
      mode = this.db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string } | undefined;
    } catch (err) {
      this.db.close();
      // e.g. "file is not a database": some other file sits where the store should be.
      throw new Error(
        `cannot open the store at ${this.path}: ${(err as Error).message}; move that file away or point --data elsewhere`,
      );
    }
    if (mode?.journal_mode !== 'wal') {
      this.db.close();
      throw new Error(
        `cannot switch the store at ${this.path} to WAL mode (got "${mode?.journal_mode}"); put the data directory on a local filesystem`,
      );
    }
    this.db.exec(`
      -- In WAL mode, synchronous=NORMAL fsyncs the WAL only at checkpoints, not at every commit. A
      -- committed transaction is in the WAL file (the OS page cache) when COMMIT returns, so it
      -- survives the process being killed (kill -9, OOM killer, crash) and the database stays
      -- consistent. Only a power loss or kernel crash can lose the last transactions (never corrupt
      -- the file); for metrics and state written every second that is the right trade for speed.
      PRAGMA synchronous = NORMAL;
      PRAGMA foreign_keys = ON;
      -- 64 MB page cache: the hot pages of the metric tables for ~10k series stay in memory.
      PRAGMA cache_size = -65536;
      PRAGMA temp_store = MEMORY;
      -- A worker thread (WalCheckpointer) copies the WAL into the database file as it grows; this
      -- connection's own checkpoint (every 1000 pages, SQLite's default) then finds the pages
      -- already copied and costs little: the copy and its fsync stay off the event loop.
      PRAGMA wal_autocheckpoint = 1000;
      -- After a checkpoint, shrink the WAL file back to 64 MB at most.
      PRAGMA journal_size_limit = 67108864;
    `);
  }

  /** A prepared statement, compiled once per distinct SQL text. */
  statement(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  /**
   * Runs fn in a transaction: BEGIN IMMEDIATE at the outermost level (take the write lock up front,
   * so a reader upgrading to writer can't deadlock), a savepoint when nested. Throws what fn threw
   * after rolling back (the database and the in-memory undo actions registered meanwhile).
   */
  transaction<T>(fn: () => T): T {
    const depth = this.#depth;
    const savepoint = `steward_${depth}`;
    const undoMark = this.#undo.length;
    this.db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    this.#depth = depth + 1;
    try {
      const result = fn();
      if (result instanceof Promise) {
        result.catch(() => {});
        throw new Error(
          'store.transaction() takes a synchronous function: the store is synchronous, await outside it',
        );
      }
      this.db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
      this.#depth = depth;
      if (depth === 0) {
        this.#undo.length = 0;
        if (this.#checkpointer === null && ++this.#commits % 64 === 0) this.#startCheckpointerIfBusy();
      }
      return result;
    } catch (err) {
      try {
        if (depth === 0) this.db.exec('ROLLBACK');
        else this.db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      } catch {
        // The transaction may already be gone (SQLite rolls back by itself on some errors).
      }
      this.#depth = depth;
      for (let i = this.#undo.length - 1; i >= undoMark; i--) this.#undo[i]!();
      this.#undo.length = undoMark;
      throw err;
    }
  }

  #startCheckpointerIfBusy(): void {
    let wal = 0;
    try {
      wal = statSync(`${this.path}-wal`).size;
    } catch {
      return;
    }
    if (wal >= WAL_CHECKPOINT_BYTES)
      this.#checkpointer = new WalCheckpointer(this.path, { walBytes: WAL_CHECKPOINT_BYTES });
  }

  /** Registers how to undo an in-memory change made inside the current transaction. */
  onRollback(undo: () => void): void {
    if (this.#depth > 0) this.#undo.push(undo);
  }

  close(): void {
    this.#checkpointer?.close();
    this.#checkpointer = null;
    this.#statements.clear();
    if (this.db.isOpen) this.db.close();
  }
}
