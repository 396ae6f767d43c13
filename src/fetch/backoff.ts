export interface BackoffPolicy {
  /** Delay after the first failure. */
  baseMinutes: number;
  /** Ceiling for the exponential delay. */
  maxMinutes: number;
}

/**
 * Retry-After longer than this is clamped: a hostile or misconfigured server must not be able to
 * silence a feed for months. The exponential ceiling wins when it is larger still.
 */
const RETRY_AFTER_CEILING_MINUTES = 24 * 60;

/**
 * When to try a failing feed again: baseMinutes * 2^(failures-1), capped at maxMinutes.
 * Deterministic on purpose (no jitter) so the schedule can be shown to editors and tested exactly;
 * feeds are already spread out by their own intervals. A longer Retry-After from the server wins.
 */
export function nextAttemptAfterFailure(
  consecutiveFailures: number,
  now: Date,
  retryAfterSeconds: number | undefined,
  policy: BackoffPolicy,
): Date {
  const failures = Math.max(1, Math.floor(consecutiveFailures));
  // 2^30 minutes is far past any sane cap; bounding the exponent keeps the arithmetic finite.
  const exponent = Math.min(failures - 1, 30);
  const backoffMinutes = Math.min(policy.maxMinutes, policy.baseMinutes * 2 ** exponent);
  const backoffMs = Math.max(0, backoffMinutes) * 60_000;

  let retryAfterMs = 0;
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0) {
    const ceilingMs = Math.max(policy.maxMinutes, RETRY_AFTER_CEILING_MINUTES) * 60_000;
    retryAfterMs = Math.min(retryAfterSeconds * 1000, ceilingMs);
  }
  return new Date(now.getTime() + Math.max(backoffMs, retryAfterMs));
}
