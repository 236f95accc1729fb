/**
 * When to try a failed delivery again: exponential backoff with full jitter around it, capped, or
 * what the receiver asked for (Retry-After on 429/503). Pure: randomness comes in as a number.
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** After this many attempts the notification is given up (status failed). */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1000, maxMs: 5 * 60_000, maxAttempts: 25 };

/** Delay before attempt `attempts + 1`; null when giving up. `random` is in [0, 1). */
export function retryDelayMs(
  attempts: number,
  policy: RetryPolicy,
  random: number,
  retryAfterMs?: number,
): number | null {
  if (attempts >= policy.maxAttempts) return null;
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, policy.maxMs * 4);
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  // Half fixed, half random: spreads a burst of retries without ever retrying at once.
  return Math.round(exp / 2 + (exp / 2) * random);
}

/** Retry-After as seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
