import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFromHeaders } from '@ordersystem/platform';
import type { Logger } from 'pino';
import { DeliveryFailure, type Notification, type RetryPolicy, decideFailure } from '../domain/notification.js';
import { type DeliveryOutcome, createOutcomeRecorder } from './outcome-recorder.js';
import type { CrashPoint, DeadLetterPublisher, DeliveryMetrics, NotificationStore, Senders } from './ports.js';

export interface DispatcherOptions {
  store: NotificationStore;
  senders: Senders;
  deadLetters: DeadLetterPublisher;
  metrics: DeliveryMetrics;
  logger: Logger;
  retry: RetryPolicy;
  batchSize: number;
  leaseMs: number;
  crash?: CrashPoint;
  /** Waits between outcome writes while the database is unavailable (tests shorten them). */
  recordRetryDelaysMs?: readonly number[];
}

export interface Dispatcher {
  /** One pass: store outcomes kept in memory, expire dead leases, claim due rows, send them, record the outcomes. Returns how many it claimed. */
  runOnce(): Promise<number>;
  /** For shutdown, after the last pass: stores the outcomes still kept in memory, retrying briefly. */
  drain(): Promise<void>;
}

const tracer = trace.getTracer('notifications');

/**
 * Why a lease expired: no outcome was recorded in time. A live process of this service never
 * causes it for a row whose outcome it knows (it stores kept outcomes before expiring leases), so
 * it means the sender died, or lost the database for longer than the lease, mid-call.
 */
export const UNKNOWN_OUTCOME =
  'unknown-outcome: no outcome was recorded within the send lease (the sending process stopped, or could not reach the database, during the provider call); it may or may not have been delivered, so it is not resent automatically';

/**
 * Sends from the delivery table, never from the Kafka partition: a notification waiting for its
 * retry is just a row with a later next_attempt_at, so later events keep flowing meanwhile.
 * The loop around runOnce is the platform worker, wired in main.ts.
 */
export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const outcomes = createOutcomeRecorder({
    store: o.store,
    logger: o.logger,
    retryDelaysMs: o.recordRetryDelaysMs,
    onRecorded: announce,
  });

  async function runOnce(): Promise<number> {
    // First, so that no lease this process still holds an answer for is expired as unknown.
    await outcomes.flush();
    for (const orphan of await o.store.expireLeases(UNKNOWN_OUTCOME)) await announceDead(orphan);
    const claimed = await o.store.claimDue(o.batchSize, o.leaseMs);
    if (claimed.length > 0) o.crash?.('after-claim');
    await Promise.all(claimed.map(deliver));
    return claimed.length;
  }

  /** Each send is its own trace, linked to the consumption of its event; provider HTTP spans nest under it. */
  function deliver(n: Notification): Promise<void> {
    const consumed = n.traceContext ? trace.getSpanContext(contextFromHeaders(n.traceContext)) : undefined;
    const options = {
      kind: SpanKind.INTERNAL,
      root: true,
      links: consumed ? [{ context: consumed }] : [],
      attributes: { 'notification.channel': n.channel, 'notification.attempt': n.attempts + 1 },
    };
    return tracer.startActiveSpan('notification send', options, async (span) => {
      try {
        const outcome = await attempt(n);
        if (outcome.kind !== 'sent') span.setStatus({ code: SpanStatusCode.ERROR });
        await outcomes.record(n, outcome);
      } finally {
        span.end();
      }
    });
  }

  /** Only the provider call is inside the try: a failure to record its answer is not a failed send. */
  async function attempt(n: Notification): Promise<DeliveryOutcome> {
    try {
      const { providerMessageId } = await o.senders[n.channel].send(n);
      o.crash?.('after-send');
      return { kind: 'sent', providerMessageId };
    } catch (err) {
      const failure =
        err instanceof DeliveryFailure
          ? err
          : new DeliveryFailure('transient', err instanceof Error ? err.message : String(err));
      const outcome = decideFailure(n.attempts, failure, o.retry, new Date());
      if (failure.kind !== 'circuit-open') o.metrics.failed(n.channel);
      o.logger.warn(
        {
          notificationId: n.id,
          channel: n.channel,
          kind: failure.kind,
          status: outcome.status,
          attempts: outcome.attempts,
          err: failure.message,
        },
        'notification not delivered',
      );
      return { kind: 'failure', failure: outcome, circuitOpen: failure.kind === 'circuit-open' };
    }
  }

  async function announce(n: Notification, outcome: DeliveryOutcome): Promise<void> {
    if (outcome.kind === 'sent') return o.metrics.sent(n.channel);
    const { failure } = outcome;
    if (failure.status === 'dead')
      await announceDead({ ...n, status: 'dead', attempts: failure.attempts, lastError: failure.error });
    else if (!outcome.circuitOpen) o.metrics.retried(n.channel);
  }

  async function announceDead(n: Notification): Promise<void> {
    o.metrics.dead(n.channel);
    await o.deadLetters
      .publishDeadNotification(n)
      .catch((err: unknown) => o.logger.error({ err, notificationId: n.id }, 'dead letter not published'));
  }

  return { runOnce, drain: () => outcomes.drain() };
}
