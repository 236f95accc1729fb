import { Worker } from 'node:worker_threads';

/**
 * Checkpoints the WAL from a worker thread. A checkpoint copies pages from the WAL into the
 * database file and fsyncs it: done by the writing connection (SQLite's autocheckpoint) it stalls
 * the event loop for tens of milliseconds, many times a minute under heavy metric ingest. Here it
 * runs beside it; the writer's autocheckpoint stays on as a backstop (and then finds little to do).
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #closed = new Int32Array(new SharedArrayBuffer(4));
  #running = true;

  constructor(path: string, opts: { intervalMs?: number; walBytes?: number } = {}) {
    this.#worker = new Worker(new URL('./wal-checkpoint-worker.mjs', import.meta.url), {
      workerData: {
        path,
        intervalMs: opts.intervalMs ?? 250,
        walBytes: opts.walBytes ?? 4 * 1024 * 1024,
        closed: this.#closed,
      },
    });
    // Never keeps the process alive, and a failure in it costs only speed, never data.
    this.#worker.unref();
    const stopped = () => {
      this.#running = false;
    };
    this.#worker.on('error', stopped);
    this.#worker.on('exit', stopped);
  }

  /**
   * Stops the worker and waits (up to 2 s) until its connection is closed, so that the caller's
   * connection is the last one and closing it removes the -wal and -shm files right away.
   */
  close(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#worker.postMessage('close');
    Atomics.wait(this.#closed, 0, 0, 2000);
  }
}
