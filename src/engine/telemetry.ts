/**
 * Steward's own counters and histograms, rendered in Prometheus text format on /metrics.
 * Hand-written: the few metric kinds we need cost less than a client library on the hot path.
 */
export class Counter {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

export class Histogram {
  readonly buckets: number[];
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(buckets: number[]) {
    this.buckets = buckets;
    this.counts = buckets.map(() => 0);
  }

  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) {
      if (v <= this.buckets[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }
}

/** A fixed-size ring of recent observations, for percentiles the benchmarks print. */
export class RecentWindow {
  #values: Float64Array;
  #next = 0;
  #filled = 0;

  constructor(size = 65_536) {
    this.#values = new Float64Array(size);
  }

  push(v: number): void {
    this.#values[this.#next] = v;
    this.#next = (this.#next + 1) % this.#values.length;
    if (this.#filled < this.#values.length) this.#filled++;
  }

  percentile(p: number): number {
    if (this.#filled === 0) return 0;
    const sorted = Array.from(this.#values.subarray(0, this.#filled)).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }

  reset(): void {
    this.#next = 0;
    this.#filled = 0;
  }
}

export class EngineTelemetry {
  checksRun = new Map<string, Counter>(); // by probe kind
  checkResults = new Map<string, Counter>(); // by state name
  passiveResults = new Counter();
  stateChanges = new Counter();
  hardStateChanges = new Counter();
  flushes = new Counter();
  flushErrors = new Counter();
  reloads = new Counter();
  reloadFailures = new Counter();
  lateness = new Histogram([0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
  execution = new Histogram([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60]);
  recentLatenessMs = new RecentWindow();

  countCheck(kind: string): void {
    let c = this.checksRun.get(kind);
    if (!c) {
      c = new Counter();
      this.checksRun.set(kind, c);
    }
    c.inc();
  }

  countResult(state: string): void {
    let c = this.checkResults.get(state);
    if (!c) {
      c = new Counter();
      this.checkResults.set(state, c);
    }
    c.inc();
  }
}
