import { boundedMeasurement, type Logger } from '@ordersystem/platform';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { OrderMetrics } from './app/ports.js';

/** How long a scrape waits for a gauge measured from a dependency. */
const SCRAPE_MEASUREMENT_MS = 2_000;

export interface OrderMetricsSources {
  /** The orders' currency, so its value counter exists from the start. */
  currency: string;
  /** Age in seconds of the oldest outbox row not yet published (0 when none waits). */
  oldestUnsentAge(): Promise<number>;
  /** Unconsumed messages per watched consumer group on the order-events topic. */
  consumerLag(): Promise<Array<{ group: string; topic: string; lag: number }>>;
}

/**
 * The orders service's own Prometheus metrics: the order funnel (counted after commit by the use
 * cases), catalog follow-up failures, and two gauges read at scrape time: the outbox backlog's age
 * and the lag of the consumers of order events, measured from here so that it still shows while a
 * consumer is down.
 */
export function createOrderMetrics(registry: Registry, sources: OrderMetricsSources, logger: Logger): OrderMetrics {
  // A scrape must answer while the database or the broker is slow or away; the gauges then keep
  // their last value. Kafka clients retry a missing topic or coordinator for up to 30 s, far past
  // Prometheus's scrape timeout.
  const outboxAge = boundedMeasurement(sources.oldestUnsentAge, SCRAPE_MEASUREMENT_MS, (err) =>
    logger.warn({ err }, 'outbox age not measured for this scrape'),
  );
  const lag = boundedMeasurement(sources.consumerLag, SCRAPE_MEASUREMENT_MS, (err) =>
    logger.warn({ err }, 'consumer lag not measured for this scrape'),
  );
  const statusChanges = new Counter({
    name: 'orders_status_changes_total',
    help: 'Committed order status changes by new status (pending counts placements).',
    labelNames: ['to'] as const,
    registers: [registry],
  });
  const placedValue = new Counter({
    name: 'orders_placed_value_minor_total',
    help: 'Total value of placed orders in integer minor units, by currency.',
    labelNames: ['currency'] as const,
    registers: [registry],
  });
  const followUpFailures = new Counter({
    name: 'orders_catalog_followup_failures_total',
    help: 'Catalog follow-ups (commit, release, restock) that failed, by action and outcome (retry, parked).',
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'orders_outbox_oldest_unsent_age_seconds',
    help: 'Age of the oldest order event waiting in the outbox to be published (0 when none waits).',
    registers: [registry],
    async collect() {
      const age = await outboxAge();
      if (age !== undefined) this.set(age);
    },
  });
  new Gauge({
    name: 'orders_notifications_consumer_lag',
    help: 'Order events not yet consumed by a watched consumer group (log end offset minus committed offset, summed over partitions).',
    labelNames: ['group', 'topic'] as const,
    registers: [registry],
    async collect() {
      for (const { group, topic, lag: value } of (await lag()) ?? []) this.set({ group, topic }, value);
    },
  });
  // Every label set is born at zero, so rate() and increase() see the first event of each.
  for (const to of ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled']) statusChanges.inc({ to }, 0);
  placedValue.inc({ currency: sources.currency }, 0);
  for (const action of ['commit_reservation', 'release_reservation', 'restock_order']) {
    for (const outcome of ['retry', 'parked']) followUpFailures.inc({ action, outcome }, 0);
  }
  return {
    statusChanged: (to) => statusChanges.inc({ to }),
    // Counters are floats: exact up to 2^53 minor units, far beyond what one process counts.
    placed: (totalMinor, currency) => placedValue.inc({ currency }, Number(totalMinor)),
    followUpFailed: (action, outcome) => followUpFailures.inc({ action, outcome }),
  };
}
