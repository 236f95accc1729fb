// Worker thread body for WalCheckpointer: its own connection, checkpointing the WAL into the
// database file whenever the WAL has grown, so the copy and its fsync never run on the main thread.
// Plain JavaScript on purpose: a .ts worker would load its own TypeScript stripper (~40 MB RSS).
import { statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ path: string, intervalMs: number, walBytes: number, closed: Int32Array }} */
const { path, intervalMs, walBytes, closed } = workerData;
const db = new DatabaseSync(path, { timeout: 1000 });

function walSize() {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

let lastSize = 0;
const timer = setInterval(() => {
  const size = walSize();
  // The WAL file keeps its size after a checkpoint (it is rewritten from the start); a size
  // different from last time means it was written to again.
  if (size < walBytes || size === lastSize) return;
  try {
    // PASSIVE: copies what it can without waiting for, or blocking, the writer or readers.
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next tick tries again, and the writer's own autocheckpoint is the backstop.
  }
  lastSize = walSize();
}, intervalMs);

parentPort?.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  // Set to 1 (and notified) once this connection is closed; the main thread waits for it.
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
  parentPort?.close();
});
