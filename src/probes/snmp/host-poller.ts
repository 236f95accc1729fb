import type { HostPollState } from './host-metrics.ts';
import { type HostPoll, pollHostMetrics } from './poll-host.ts';
import type { SnmpTarget } from './snmp-target.ts';

/** A poll handed to a check: `polledHere` is true for exactly one check per poll (the one that ran it). */
export interface SharedPoll {
  poll: HostPoll;
  polledHere: boolean;
  /** Whether the host had been polled successfully before this poll (rates need two polls). */
  hadPrevious: boolean;
}

interface HostEntry {
  inFlight?: Promise<HostPoll>;
  last?: HostPoll;
  lastAt?: number;
  /** Kept across polls (and across failed polls) for counter rates. */
  state?: HostPollState;
  /** The state existed before the latest poll started. */
  hadPrevious: boolean;
  /** When a check last asked for this host (entries of hosts nobody asks for any more are dropped). */
  lastUsed: number;
}

const FAILED_POLL_REUSE_MS = 2000;
/** A host no check has asked about for this long was removed (or re-addressed): forget its state. */
const FORGET_AFTER_MS = 60 * 60_000;
const SWEEP_EVERY_MS = 10 * 60_000;

/** Identifies one agent as one set of credentials sees it; never printed (may hold a community). */
function entryKey(target: SnmpTarget): string {
  const who = target.version === '2c' ? `c:${target.community ?? ''}` : `u:${target.user?.name ?? ''}`;
  return `${target.host}\u0000${target.port}\u0000${target.version}\u0000${who}`;
}

/**
 * One SNMP walk per host per interval, whatever the number of SNMP checks on it: concurrent checks
 * of a host share the poll in flight, and a poll younger than `maxAgeMs` (half the check interval)
 * is reused. The previous poll's state stays here per host, so counters become rates.
 */
export class HostPoller {
  readonly #hosts = new Map<string, HostEntry>();
  readonly #poll: typeof pollHostMetrics;
  /** Polls actually run (for tests and telemetry). */
  polls = 0;
  #lastSweep = 0;

  constructor(poll: typeof pollHostMetrics = pollHostMetrics) {
    this.#poll = poll;
  }

  async get(target: SnmpTarget, maxAgeMs: number, now = Date.now()): Promise<SharedPoll> {
    this.#sweep(now);
    const key = entryKey(target);
    let entry = this.#hosts.get(key);
    if (entry === undefined) {
      entry = { hadPrevious: false, lastUsed: now };
      this.#hosts.set(key, entry);
    }
    entry.lastUsed = now;
    if (entry.inFlight)
      return { poll: await entry.inFlight, polledHere: false, hadPrevious: entry.hadPrevious };
    // A failed poll is reused only by the checks that come in right after it (the same round),
    // so that a retry a few seconds later polls again instead of repeating the failure.
    const maxAge =
      entry.last && entry.last.requests === 0 ? Math.min(maxAgeMs, FAILED_POLL_REUSE_MS) : maxAgeMs;
    if (entry.last && entry.lastAt !== undefined && now - entry.lastAt < maxAge) {
      return { poll: entry.last, polledHere: false, hadPrevious: entry.hadPrevious };
    }
    const current = entry;
    const hadPrevious = current.state !== undefined;
    this.polls++;
    const inFlight = this.#poll(target, current.state);
    current.inFlight = inFlight;
    try {
      const poll = await inFlight;
      current.hadPrevious = hadPrevious;
      current.last = poll;
      current.lastAt = Date.now();
      // A failed poll hands back the previous state; only a poll that read something replaces it.
      if (poll.requests > 0 || poll.errors.length === 0) current.state = poll.state;
      return { poll, polledHere: true, hadPrevious };
    } finally {
      current.inFlight = undefined;
    }
  }

  /** Hosts with state kept. */
  get size(): number {
    return this.#hosts.size;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    for (const [key, entry] of this.#hosts) {
      if (!entry.inFlight && now - entry.lastUsed > FORGET_AFTER_MS) this.#hosts.delete(key);
    }
  }

  /** Forget every host (a reload that removed hosts, or tests). */
  clear(): void {
    this.#hosts.clear();
  }
}

/** The process-wide poller the SNMP probe uses. */
export const hostPoller = new HostPoller();
