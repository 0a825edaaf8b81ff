/** Outcome of charging one request to a key: allowed, or rejected with how long to wait. */
export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * What the edge needs of a rate limiter (per client IP in http/, per user in rpc/): the leasing
 * limiter in leased-limiter.ts over the Redis window in clients/rate-limit.ts, wired in main.ts.
 */
export interface Limiter {
  consume(key: string): Promise<LimitDecision>;
}

/** Where a key's fixed window stands after a charge. */
export interface WindowCharge {
  /** The window's total, this charge included, is within the budget. */
  allowed: boolean;
  /** Points left in the window after this charge (0 when over). */
  remaining: number;
  /** Until the window ends and the count starts again. */
  resetInMs: number;
}

/** A fixed-window budget every gateway replica shares (Redis); charges count even when refused. */
export interface SharedWindow {
  /** Points per key per window. */
  readonly points: number;
  charge(key: string, points: number): Promise<WindowCharge>;
}
