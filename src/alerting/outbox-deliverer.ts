/**
 * Delivers the outbox: picks due entries, sends each through its receiver's channel, marks it
 * delivered or schedules the retry (backoff with jitter, or the receiver's Retry-After). Receivers
 * are independent: each has its own concurrency limit, so a slow or dead one delays only itself.
 */
import type { ReceiverModel } from '../core/alerting-model.ts';
import type { Logger } from '../log/index.ts';
import { type SendOptions, sendNotification } from '../notify/index.ts';
import type { OutboxEntry, Store } from '../store/types.ts';
import type { Notification } from './notification.ts';
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs } from './retry-policy.ts';

export interface DelivererOptions {
  store: Store;
  logger: Logger;
  receivers: () => readonly ReceiverModel[];
  now?: () => number;
  retry?: RetryPolicy;
  random?: () => number;
  send?: SendOptions;
  /** Deliveries in flight per receiver (default 8). */
  perReceiver?: number;
  /** Called after each delivery (telemetry, benchmarks). */
  onDelivered?: (entry: OutboxEntry, at: number) => void;
}

export class OutboxDeliverer {
  readonly #o: DelivererOptions;
  readonly #now: () => number;
  readonly #inFlight = new Map<number, Promise<void>>();
  readonly #perReceiver = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  delivered = 0;
  failedAttempts = 0;

  constructor(opts: DelivererOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  start(): void {
    this.#running = true;
    this.poke();
  }

  /** Stops picking new work; waits for deliveries in flight (their outcome is recorded). */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Look for due work now (after enqueueing). */
  poke(): void {
    if (!this.#running) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#pump(), 0);
  }

  #pump(): void {
    this.#timer = null;
    if (!this.#running) return;
    const now = this.#now();
    const limit = this.#o.perReceiver ?? 8;
    let due: OutboxEntry[] = [];
    try {
      due = this.#o.store.dueNotifications(now, 500 + this.#inFlight.size);
    } catch (err) {
      this.#o.logger.error({ err }, 'cannot read the notification outbox; retrying');
    }
    let blocked = false;
    for (const entry of due) {
      if (this.#inFlight.has(entry.id)) continue;
      const busy = this.#perReceiver.get(entry.receiver) ?? 0;
      if (busy >= limit) {
        blocked = true;
        continue;
      }
      this.#perReceiver.set(entry.receiver, busy + 1);
      const p = this.#deliver(entry).finally(() => {
        this.#inFlight.delete(entry.id);
        this.#perReceiver.set(entry.receiver, (this.#perReceiver.get(entry.receiver) ?? 1) - 1);
        this.poke();
      });
      this.#inFlight.set(entry.id, p);
    }
    if (!this.#running) return;
    // Wake for the next retry, or soon when receivers were at their limit (a finishing delivery pokes too).
    let wait = 1000;
    try {
      const next = this.#o.store.nextNotificationDueAt();
      if (next !== null) wait = Math.max(0, Math.min(wait, next - this.#now()));
    } catch {
      // read again at the next wake-up
    }
    if (blocked) wait = Math.max(wait, 50);
    if (!this.#timer) this.#timer = setTimeout(() => this.#pump(), Math.max(wait, 5));
    this.#timer.unref();
  }

  async #deliver(entry: OutboxEntry): Promise<void> {
    const { store, logger } = this.#o;
    const receiver = this.#o.receivers().find((r) => r.name === entry.receiver);
    if (!receiver) {
      store.markNotificationFailed(
        entry.id,
        `receiver "${entry.receiver}" is no longer in the spec; the notification was dropped`,
        null,
      );
      return;
    }
    const result = await sendNotification(receiver, entry.payload as Notification, this.#o.send);
    const now = this.#now();
    try {
      if (result.ok) {
        store.markNotificationDelivered(entry.id, now, result.response);
        this.delivered++;
        this.#o.onDelivered?.(entry, now);
        return;
      }
      this.failedAttempts++;
      const delay = result.permanent
        ? null
        : retryDelayMs(
            entry.attempts + 1,
            this.#o.retry ?? DEFAULT_RETRY,
            (this.#o.random ?? Math.random)(),
            result.retryAfterMs,
          );
      store.markNotificationFailed(entry.id, result.response, delay === null ? null : now + delay);
      logger.warn(
        {
          receiver: entry.receiver,
          attempt: entry.attempts + 1,
          answer: result.response.slice(0, 300),
          retryInMs: delay,
        },
        delay === null ? 'notification given up' : 'notification not delivered; will retry',
      );
    } catch (err) {
      logger.error({ err, receiver: entry.receiver }, 'cannot record a delivery outcome in the outbox');
    }
  }
}
