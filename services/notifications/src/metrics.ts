import type { Logger } from '@ordersystem/platform';
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { DeliveryMetrics } from './app/ports.js';

/** The notifications service's own metrics, on the runtime's registry. */
export interface NotificationMetrics extends DeliveryMetrics {
  providerLatency: Histogram<'channel' | 'outcome'>;
  breakerState: Gauge<'provider'>;
  /** Makes every scrape compute the consumer lag from `source` (broker round trips, so only on scrape). */
  watchLag(topic: string, source: () => Promise<Array<{ partition: number; lag: number }>>): void;
}

export function createNotificationMetrics(registry: Registry, logger: Logger): NotificationMetrics {
  const counter = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ['channel'] as const, registers: [registry] });
  const sent = counter('notifications_sent_total', 'Notifications the provider accepted, by channel.');
  const failed = counter(
    'notifications_failed_total',
    'Failed delivery attempts (breaker fast-fails excluded), by channel.',
  );
  const retried = counter('notifications_retried_total', 'Failed attempts scheduled for a retry, by channel.');
  const dead = counter(
    'notifications_dead_total',
    'Notifications that became dead (retries exhausted, permanent error, unknown outcome), by channel.',
  );
  const providerLatency = new Histogram({
    name: 'notifications_provider_duration_seconds',
    help: 'Provider call time in seconds, by channel and outcome (ok, permanent, transient, rate-limited, circuit-open).',
    labelNames: ['channel', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Born at zero per channel, so rate() and increase() see the first event of each (and a burst of
  // sends between two scrapes is a rise, not a series that starts at its final value).
  for (const channel of ['sms', 'email']) {
    for (const c of [sent, failed, retried, dead]) c.inc({ channel }, 0);
    providerLatency.zero({ channel, outcome: 'ok' });
  }
  return {
    sent: (channel) => sent.inc({ channel }),
    failed: (channel) => failed.inc({ channel }),
    retried: (channel) => retried.inc({ channel }),
    dead: (channel) => dead.inc({ channel }),
    providerLatency,
    breakerState: new Gauge({
      name: 'notifications_breaker_state',
      help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider'] as const,
      registers: [registry],
    }),
    watchLag(topic, source) {
      new Gauge({
        name: 'notifications_consumer_lag',
        help: 'Messages not yet committed by the consumer group, per partition (log end offset minus committed offset).',
        labelNames: ['topic', 'partition'] as const,
        registers: [registry],
        async collect() {
          // A scrape must still answer while the brokers are away; the gauge then keeps its last values.
          const lags = await source().catch((err: unknown) => {
            logger.warn({ err, topic }, 'consumer lag not computed for this scrape');
            return [];
          });
          for (const { partition, lag } of lags) this.set({ topic, partition: String(partition) }, lag);
        },
      });
    },
  };
}
