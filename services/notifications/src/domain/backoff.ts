/** Retry schedule: exponential growth from `baseMs` by `factor`, capped at `capMs`. */
export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  capMs: number;
}

/**
 * Delay before the retry that follows failed attempt number `attempt` (1-based), with full
 * jitter: uniformly random in [0, min(cap, base · factor^(attempt-1))). Full jitter spreads a
 * burst of failures (a provider outage) so the retries do not return as a synchronized wave.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponential = policy.baseMs * policy.factor ** Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.capMs, exponential);
  return Math.floor(random() * ceiling);
}
