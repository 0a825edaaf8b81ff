import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFromHeaders } from '@ordersystem/platform';
import type { Logger } from 'pino';
import { DeliveryFailure, type Notification, type RetryPolicy, decideFailure } from '../domain/notification.js';
import type { CrashPoint, DeadLetterPublisher, DeliveryMetrics, NotificationStore, Senders } from './ports.js';

export interface DispatcherOptions {
  store: NotificationStore;
  senders: Senders;
  deadLetters: DeadLetterPublisher;
  metrics: DeliveryMetrics;
  logger: Logger;
  retry: RetryPolicy;
  intervalMs: number;
  batchSize: number;
  leaseMs: number;
  crash?: CrashPoint;
}

export interface Dispatcher {
  start(): void;
  /** Stops polling and resolves once the pass in flight (if any) has recorded its results. */
  stop(): Promise<void>;
  /** One pass: expire dead leases, claim due rows, send them, record the outcomes. */
  runOnce(): Promise<number>;
}

const tracer = trace.getTracer('notifications');

/** Lease expiry means the process died while a provider call was in flight. */
export const UNKNOWN_OUTCOME = 'unknown-outcome: the process stopped during the provider call; it may or may not have been delivered, so it is not resent automatically';

/**
 * Sends from the delivery table, never from the Kafka partition: a notification waiting for its
 * retry is just a row with a later next_attempt_at, so later events keep flowing meanwhile.
 */
export function createDispatcher(o: DispatcherOptions): Dispatcher {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<number> = Promise.resolve(0);

  async function runOnce(): Promise<number> {
    for (const orphan of await o.store.expireLeases(UNKNOWN_OUTCOME)) await announceDead(orphan);
    const claimed = await o.store.claimDue(o.batchSize, o.leaseMs);
    if (claimed.length > 0) o.crash?.('after-claim');
    await Promise.all(claimed.map(deliver));
    return claimed.length;
  }

  /** Each send is its own trace, linked to the consumption of its event; provider HTTP spans nest under it. */
  function deliver(n: Notification): Promise<void> {
    const consumed = n.traceContext ? trace.getSpanContext(contextFromHeaders(n.traceContext)) : undefined;
    const options = { kind: SpanKind.INTERNAL, root: true, links: consumed ? [{ context: consumed }] : [], attributes: { 'notification.channel': n.channel, 'notification.attempt': n.attempts + 1 } };
    return tracer.startActiveSpan('notification send', options, async (span) => {
      try {
        if (!(await attempt(n))) span.setStatus({ code: SpanStatusCode.ERROR });
      } finally {
        span.end();
      }
    });
  }

  async function attempt(n: Notification): Promise<boolean> {
    try {
      const { providerMessageId } = await o.senders[n.channel].send(n);
      o.crash?.('after-send');
      await o.store.markSent(n.id, providerMessageId);
      o.metrics.sent(n.channel);
      return true;
    } catch (err) {
      const failure = err instanceof DeliveryFailure ? err : new DeliveryFailure('transient', err instanceof Error ? err.message : String(err));
      const outcome = decideFailure(n.attempts, failure, o.retry, new Date());
      await o.store.markFailure(n.id, outcome);
      if (failure.kind !== 'circuit-open') o.metrics.failed(n.channel);
      o.logger.warn({ notificationId: n.id, channel: n.channel, kind: failure.kind, status: outcome.status, attempts: outcome.attempts, err: failure.message }, 'notification not delivered');
      if (outcome.status === 'dead') await announceDead({ ...n, status: 'dead', attempts: outcome.attempts, lastError: outcome.error });
      else if (failure.kind !== 'circuit-open') o.metrics.retried(n.channel);
      return false;
    }
  }

  async function announceDead(n: Notification): Promise<void> {
    o.metrics.dead(n.channel);
    await o.deadLetters.publishDeadNotification(n).catch((err: unknown) => o.logger.error({ err, notificationId: n.id }, 'dead letter not published'));
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      inFlight = runOnce()
        .catch((err: unknown) => (o.logger.error({ err }, 'dispatch pass failed'), 0))
        .finally(schedule);
    }, o.intervalMs);
  }

  return {
    runOnce,
    start() {
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
