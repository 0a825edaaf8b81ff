import { Code, ConnectError } from '@connectrpc/connect';

export interface RetryOptions {
  /** Total attempts including the first; 1 disables retries. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Stops waiting and retrying once the caller has gone or its deadline passed. */
  signal: AbortSignal;
  random?: () => number;
}

/**
 * Runs `call`, repeating it only while it fails with `unavailable` (the call did not reach a
 * working upstream, so repeating is safe for idempotent methods), with exponential backoff and
 * full jitter so that recovering upstreams are not hit by synchronized waves.
 */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const retryable = err instanceof ConnectError && err.code === Code.Unavailable;
      if (!retryable || attempt >= options.maxAttempts || options.signal.aborted) throw err;
      await sleep(options.baseDelayMs * 2 ** (attempt - 1) * random(), options.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
