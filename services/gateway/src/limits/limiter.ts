/** Outcome of charging one request to a key: allowed, or rejected with how long to wait. */
export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * What the edge needs of a rate limiter (per client IP in http/, per user in rpc/); the shared
 * Redis implementation is clients/rate-limit.ts, wired in main.ts.
 */
export interface Limiter {
  consume(key: string): Promise<LimitDecision>;
}
