import { type BackoffPolicy, backoffDelayMs } from './backoff.js';

export type Channel = 'sms' | 'email';

/**
 * Delivery states. `sending` is held under a lease while the provider is called; it is what
 * makes a crash between "provider accepted" and "we recorded it" visible after restart.
 */
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dead';

/** A message to send, rendered when the event arrives and stored in the row. */
export interface NotificationDraft {
  channel: Channel;
  recipient: string;
  subject: string | null;
  text: string;
  html: string | null;
}

/** One row of the delivery table. */
export interface Notification extends NotificationDraft {
  id: string;
  eventId: string;
  eventKind: string;
  orderId: string;
  status: NotificationStatus;
  attempts: number;
  providerMessageId: string | null;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  updatedAt: Date;
  /** Trace context (W3C headers) of the event's consumption; the send span links to it. */
  traceContext: Record<string, string> | null;
}

/** How a send failed, as far as retrying is concerned. */
export type FailureKind = 'permanent' | 'transient' | 'rate-limited' | 'circuit-open';

/** Thrown by senders; `kind` decides between retry, wait and dead. */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Provider's Retry-After (rate-limited) or the breaker's cool-down (circuit-open). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface RetryPolicy extends BackoffPolicy {
  maxAttempts: number;
}

/** What to record after a failed send. */
export interface FailureOutcome {
  status: 'failed' | 'dead';
  attempts: number;
  nextAttemptAt: Date;
  error: string;
}

/**
 * Decides what a failure means for a notification that had made `attempts` attempts before this
 * one. Permanent errors die at once. An open breaker is not the notification's fault: it waits
 * for the cool-down and the attempt is not counted, so an outage can never kill a notification
 * by itself. Rate limits wait exactly as long as the provider asked; other errors back off.
 */
export function decideFailure(
  attempts: number,
  failure: DeliveryFailure,
  policy: RetryPolicy,
  now: Date,
  random: () => number = Math.random,
): FailureOutcome {
  const error = `${failure.kind}: ${failure.message}`;
  if (failure.kind === 'circuit-open') {
    return { status: 'failed', attempts, nextAttemptAt: after(now, failure.retryAfterMs ?? policy.baseMs), error };
  }
  const made = attempts + 1;
  if (failure.kind === 'permanent' || made >= policy.maxAttempts) {
    return { status: 'dead', attempts: made, nextAttemptAt: now, error };
  }
  const delay =
    failure.kind === 'rate-limited' && failure.retryAfterMs !== undefined
      ? failure.retryAfterMs
      : backoffDelayMs(made, policy, random);
  return { status: 'failed', attempts: made, nextAttemptAt: after(now, delay), error };
}

function after(now: Date, ms: number): Date {
  return new Date(now.getTime() + ms);
}
