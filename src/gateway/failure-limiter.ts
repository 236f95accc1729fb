/**
 * Counts failures per key (a source address, a user name) in a sliding window and bans a key that
 * reaches the limit for a while. In memory on purpose: a restart clears bans, which is acceptable
 * because the operator-network filter already bounds who can try at all.
 */
export interface FailureLimits {
  /** failures within `windowMs` that trigger a ban */
  maxFailures: number;
  windowMs: number;
  banMs: number;
}

export class FailureLimiter {
  readonly limits: FailureLimits;
  readonly #failures = new Map<string, number[]>();
  readonly #bannedUntil = new Map<string, number>();

  constructor(limits: FailureLimits) {
    this.limits = limits;
  }

  /** The moment (ms) the ban on `key` ends, or undefined when it is not banned at `now`. */
  bannedUntil(key: string, now: number): number | undefined {
    const until = this.#bannedUntil.get(key);
    if (until === undefined) return undefined;
    if (until > now) return until;
    this.#bannedUntil.delete(key);
    return undefined;
  }

  /** Records one failure; returns the ban's end when this failure started a ban. */
  fail(key: string, now: number): number | undefined {
    const recent = (this.#failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    recent.push(now);
    if (recent.length < this.limits.maxFailures) {
      this.#failures.set(key, recent);
      return undefined;
    }
    this.#failures.delete(key);
    const until = now + this.limits.banMs;
    this.#bannedUntil.set(key, until);
    return until;
  }

  /** A success forgets earlier failures, so an operator who mistyped once is not one step from a ban. */
  succeed(key: string): void {
    this.#failures.delete(key);
  }

  banned(now: number): string[] {
    return [...this.#bannedUntil.keys()].filter((key) => this.bannedUntil(key, now) !== undefined);
  }

  /** Drops stale entries; called periodically so an address scan cannot grow the maps forever. */
  prune(now: number): void {
    for (const [key, times] of this.#failures) {
      if (!times.some((t) => t > now - this.limits.windowMs)) this.#failures.delete(key);
    }
    for (const key of this.#bannedUntil.keys()) this.bannedUntil(key, now);
  }
}

/** Connections per source per minute: a scanner inside the operator network is slowed, not banned. */
export class RateWindow {
  readonly #hits = new Map<string, number[]>();
  readonly max: number;
  readonly windowMs: number;

  constructor(max: number, windowMs: number) {
    this.max = max;
    this.windowMs = windowMs;
  }

  /** Records a hit; false when the key is over its rate. */
  take(key: string, now: number): boolean {
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.max) {
      this.#hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#hits.set(key, recent);
    return true;
  }

  prune(now: number): void {
    for (const [key, times] of this.#hits) {
      if (!times.some((t) => t > now - this.windowMs)) this.#hits.delete(key);
    }
  }
}
