import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { MonitoringEvent } from '../../src/core/index.ts';
import {
  DATABASE_FILE,
  openSqliteStore,
  type SqliteStoreOptions,
  type Store,
} from '../../src/store/index.ts';

/** 2026-01-01T00:00:00Z: on every 5m and 1h boundary. */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function tempDir(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'steward-store-test-'));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A store in a fresh temp dir, closed and removed on dispose. */
export function tempStore(opts: SqliteStoreOptions = {}): {
  store: Store;
  dir: string;
  reopen(next?: SqliteStoreOptions): Store;
  [Symbol.dispose](): void;
} {
  const tmp = tempDir();
  let store = openSqliteStore(tmp.dir, opts);
  const handle = {
    get store() {
      return store;
    },
    dir: tmp.dir,
    reopen(next: SqliteStoreOptions = opts) {
      store.close();
      store = openSqliteStore(tmp.dir, next);
      return store;
    },
    [Symbol.dispose]() {
      store.close();
      tmp[Symbol.dispose]();
    },
  };
  return handle;
}

/** Reads the database file directly (a second connection), for checks the Store API can't make. */
export function sql<T = Record<string, unknown>>(
  dir: string,
  query: string,
  ...args: (string | number)[]
): T[] {
  const db = new DatabaseSync(join(dir, DATABASE_FILE), { readOnly: true });
  try {
    // Plain objects (node:sqlite returns null-prototype ones), so deepEqual compares values only.
    return db
      .prepare(query)
      .all(...args)
      .map((row) => ({ ...row })) as T[];
  } finally {
    db.close();
  }
}

export function event(overrides: Partial<MonitoringEvent> = {}): MonitoringEvent {
  return {
    time: T0,
    type: 'state',
    objectId: 'web1/http',
    kind: 'service',
    host: 'web1',
    service: 'http',
    environment: 'prod',
    state: 2,
    stateType: 'SOFT',
    attempt: 1,
    maxAttempts: 3,
    previousState: 0,
    previousStateType: 'HARD',
    hard: false,
    output: 'CRITICAL - connection refused',
    ...overrides,
  };
}
