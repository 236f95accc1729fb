import { DueHeap } from './heap.ts';

export type RunCheck = (id: string, scheduledAt: number) => Promise<void>;

export interface SchedulerOptions {
  /** Checks allowed in flight at once; further due checks wait (and their lateness shows it). */
  concurrency: number;
  run: RunCheck;
  now?: () => number;
}

export interface SchedulerStats {
  queued: number;
  running: number;
  started: number;
  completed: number;
  /** Sum and count of lateness in ms, for an average; the histogram is kept by the caller. */
  latenessSumMs: number;
}

/**
 * Runs checks when they are due: one timer for the earliest due time over a min-heap, a cap on
 * checks in flight. It knows nothing about what a check is: the engine decides the next due time
 * when a check completes and calls schedule() again.
 */
export class Scheduler {
  #heap = new DueHeap();
  /** id → due time of the entry that counts; heap entries with another due time are stale. */
  #due = new Map<string, number>();
  #running = new Set<string>();
  #seq = 0;
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  #stopped = true;
  #inflight = new Set<Promise<void>>();
  #opts: SchedulerOptions;
  #now: () => number;
  #onLateness: ((ms: number) => void) | null = null;
  stats: SchedulerStats = { queued: 0, running: 0, started: 0, completed: 0, latenessSumMs: 0 };

  constructor(opts: SchedulerOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  set concurrency(n: number) {
    this.#opts.concurrency = Math.max(1, n);
    this.#pump();
  }

  onLateness(fn: (ms: number) => void): void {
    this.#onLateness = fn;
  }

  /** Schedules (or reschedules) a check. A check that is running is scheduled for after it ends. */
  schedule(id: string, due: number): void {
    this.#due.set(id, due);
    this.#heap.push({ due, seq: this.#seq++, id });
    this.stats.queued = this.#due.size;
    if (!this.#stopped) this.#arm(due);
  }

  unschedule(id: string): void {
    this.#due.delete(id);
    this.stats.queued = this.#due.size;
  }

  isScheduled(id: string): boolean {
    return this.#due.has(id);
  }

  dueOf(id: string): number | undefined {
    return this.#due.get(id);
  }

  isRunning(id: string): boolean {
    return this.#running.has(id);
  }

  start(): void {
    this.#stopped = false;
    this.#pump();
  }

  /** Stops dispatching and waits for the checks in flight to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
    await Promise.allSettled([...this.#inflight]);
  }

  #arm(due: number): void {
    if (due >= this.#timerAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = due;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#pump();
      },
      Math.max(0, due - this.#now()),
    );
  }

  #pump(): void {
    if (this.#stopped) return;
    const now = this.#now();
    const heap = this.#heap;
    while (this.#running.size < this.#opts.concurrency) {
      const top = heap.peek();
      if (!top) break;
      if (this.#due.get(top.id) !== top.due) {
        heap.pop(); // superseded by a later schedule() or unscheduled
        continue;
      }
      if (top.due > now) break;
      if (this.#running.has(top.id)) {
        // Still running from its previous turn: it will be rescheduled when that ends.
        heap.pop();
        this.#due.delete(top.id);
        continue;
      }
      heap.pop();
      this.#due.delete(top.id);
      this.#dispatch(top.id, top.due, now);
    }
    this.stats.queued = this.#due.size;
    const next = heap.peek();
    if (next && this.#running.size < this.#opts.concurrency) this.#arm(next.due);
  }

  #dispatch(id: string, due: number, now: number): void {
    this.#running.add(id);
    this.stats.running = this.#running.size;
    this.stats.started++;
    const lateness = now - due;
    this.stats.latenessSumMs += lateness;
    this.#onLateness?.(lateness);
    const p = this.#opts
      .run(id, due)
      .catch(() => {
        // The engine turns every failure into a result; anything reaching here is a bug we must
        // not let stop the scheduler.
      })
      .finally(() => {
        this.#running.delete(id);
        this.#inflight.delete(p);
        this.stats.running = this.#running.size;
        this.stats.completed++;
        this.#pump();
      });
    this.#inflight.add(p);
  }
}
