import { Counter } from 'prom-client';
import type { Metrics } from '@ordersystem/platform';

/** Counts events the relay got acknowledged by Kafka; its rate is the publish throughput. */
export function publishedCounter(metrics: Metrics): (count: number) => void {
  const counter = new Counter({
    name: 'orders_outbox_published_total',
    help: 'Order events published from the outbox to Kafka and acknowledged.',
    registers: [metrics.registry],
  });
  return (count) => counter.inc(count);
}
