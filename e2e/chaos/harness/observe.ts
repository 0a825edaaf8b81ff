import { Kafka, logLevel } from 'kafkajs';
import type { SmtpSink, TwilioFake } from '@ordersystem/dev-sinks';
import { scrape, total } from '../../harness/metrics.js';
import type { Cluster, Replica } from './cluster.js';
import type { PlacedOrder } from './shop.js';

/** One record of the order-event topic as the relay published it. */
export interface PublishedEvent {
  partition: number;
  offset: bigint;
  orderId: string;
  eventId: string;
  eventType: string;
}

/** Reads the run's order-event topic from the beginning, with a group of its own, for the whole run. */
export async function watchOrderEvents(
  cluster: Cluster,
): Promise<{ events: PublishedEvent[]; close(): Promise<void> }> {
  const events: PublishedEvent[] = [];
  const consumer = new Kafka({
    clientId: 'chaos-watcher',
    brokers: cluster.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).consumer({
    groupId: `chaos-${cluster.runId}-watcher`,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: cluster.topics.orderEvents, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const header = (name: string) => message.headers?.[name]?.toString() ?? '';
      events.push({
        partition,
        offset: BigInt(message.offset),
        orderId: message.key?.toString() ?? '',
        eventId: header('event-id'),
        eventType: header('event-type'),
      });
    },
  });
  return { events, close: () => consumer.disconnect() };
}

/** Exactly-once figures for one kind of message: one per order expected. */
export interface Delivery {
  expected: number;
  delivered: number;
  duplicated: number;
  lost: number;
}

/** Counts per order, by the order number in the text: delivered once, more than once, or never. */
export function countDelivery(orders: PlacedOrder[], texts: string[]): Delivery {
  let delivered = 0;
  let duplicated = 0;
  let lost = 0;
  for (const order of orders) {
    const n = texts.filter((t) => t.includes(order.number)).length;
    if (n === 0) lost++;
    else delivered++;
    duplicated += Math.max(0, n - 1);
  }
  return { expected: orders.length, delivered, duplicated, lost };
}

/** Confirmation SMS to `phone` and admin emails, each counted per order. */
export function notificationCounts(
  sms: TwilioFake,
  mail: SmtpSink,
  orders: PlacedOrder[],
  phone: string,
): { sms: Delivery; email: Delivery } {
  return {
    sms: countDelivery(
      orders,
      sms.messages.filter((m) => m.to === phone && /confirmed/i.test(m.body)).map((m) => m.body),
    ),
    email: countDelivery(
      orders,
      mail.mails.map((m) => m.subject),
    ),
  };
}

export const alive = (r: Replica) => !!r.svc && r.svc.child.exitCode === null && r.svc.child.signalCode === null;

/** The orders replica that logged taking the relay's advisory lock, and when (the log line's own time). */
export function relayHolders(cluster: Cluster): Array<{ replica: Replica; at: number }> {
  return cluster.replicas.orders.flatMap((replica) =>
    (replica.svc?.logs ?? [])
      .filter((l) => l.message === 'outbox relay: this replica publishes')
      .map((l) => ({ replica, at: Number(l.time) || Date.parse(String(l.time)) })),
  );
}

/** orders_outbox_published_total of one replica (0 once it is gone). */
export async function publishedBy(replica: Replica): Promise<number> {
  if (!alive(replica)) return 0;
  return total(await scrape(replica.svc!.opsPort), 'orders_outbox_published_total');
}

/** A figure for the record: the reports are read from the test output, not asserted against a clock. */
export function note(experiment: string, figures: unknown): void {
  process.stderr.write(
    `[chaos] ${experiment}: ${JSON.stringify(figures, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}\n`,
  );
}
