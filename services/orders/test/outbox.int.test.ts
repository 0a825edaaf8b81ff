import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { collectEvents, type ReceivedEvent } from './kafka-events';
import {
  aCustomer,
  anOrderRequest,
  aProduct,
  as,
  eventually,
  startOrders,
  startUpstreams,
  type Upstreams,
} from './fixtures';
import { PrivateKafka } from './private-kafka';

// testTimeout is not applied per project by jest, so it is set here (three real processes start per file).
jest.setTimeout(90_000);

/** Distinct events (at-least-once delivery may repeat one) of an order, in delivery order. */
const kindsOf = (events: ReceivedEvent[], orderId: string): string[] => {
  const seen = new Set<string>();
  return events
    .filter((e) => e.key === orderId && !seen.has(e.event.eventId) && seen.add(e.event.eventId))
    .map((e) => e.event.kind.case ?? '');
};

describe('transactional outbox across a Kafka outage (private broker)', () => {
  let kafka: PrivateKafka;
  let up: Upstreams;
  let orders: Awaited<ReturnType<typeof startOrders>>;

  beforeAll(async () => {
    kafka = await PrivateKafka.create();
    // One after the other: a JVM starting beside two Node processes on a busy 2-core machine can
    // starve them past their start-up timeout.
    await kafka.start();
    up = await startUpstreams();
    orders = await startOrders(up, { KAFKA_BROKERS: kafka.brokers.join(','), RELAY_MAX_BACKOFF_MS: '1000' });
  }, 120_000);
  afterAll(async () => {
    await orders?.stop();
    await up?.stop();
    await kafka?.destroy();
  }, 60_000);

  async function unsent(): Promise<number> {
    const client = new PgClient({ connectionString: up.infra.adminUrl });
    await client.connect();
    try {
      return (
        await client.query<{ n: number }>(
          `select count(*)::int as n from ${orders.schema}.outbox where sent_at is null`,
        )
      ).rows[0]!.n;
    } finally {
      await client.end();
    }
  }

  it('keeps taking orders while Kafka is down and publishes every event, in order per order, once it is back', async () => {
    const customer = await aCustomer(up);
    const product = await aProduct(up, { stock: 50n });
    const place = () =>
      orders.client
        .placeOrder(anOrderRequest([{ productId: product.id, quantity: 1n }]), as(customer))
        .then((r) => r.order!);

    // The placing request's trace travels to the Kafka headers.
    const traceId = randomBytes(16).toString('hex');
    const traced = await orders.client.placeOrder(anOrderRequest([{ productId: product.id, quantity: 1n }]), {
      headers: { ...as(customer).headers, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    const a = traced.order!;
    const before = await collectEvents(kafka.brokers, orders.topic);
    const placedA = await eventually(async () => {
      expect(kindsOf(before.events, a.id)).toEqual(['placed', 'confirmed']);
      return before.events.filter((e) => e.key === a.id);
    }, 30_000);
    expect(placedA.every((e) => e.headers['request-traceparent']?.split('-')[1] === traceId)).toBe(true);
    expect(placedA.every((e) => /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/.test(e.headers.traceparent ?? ''))).toBe(true);
    expect(placedA[0]!.headers['event-type']).toBe('OrderPlaced');
    await before.stop();

    await kafka.stop();
    const b = await place();
    const c = await place();
    await orders.client.cancelOrder({ id: a.id, reason: 'during the outage' }, as(customer));
    expect(await unsent()).toBe(5);

    await kafka.start();
    const after = await collectEvents(kafka.brokers, orders.topic);
    try {
      await eventually(async () => {
        expect(kindsOf(after.events, a.id)).toEqual(['placed', 'confirmed', 'cancelled']);
        expect(kindsOf(after.events, b.id)).toEqual(['placed', 'confirmed']);
        expect(kindsOf(after.events, c.id)).toEqual(['placed', 'confirmed']);
      }, 45_000);
      // One order's events share a partition (keyed by order id), so their order is the offset order.
      for (const id of [a.id, b.id, c.id]) {
        const mine = after.events.filter((e) => e.key === id);
        expect(new Set(mine.map((e) => e.partition)).size).toBe(1);
        expect(mine.map((e) => e.offset)).toEqual([...mine.map((e) => e.offset)].sort((x, y) => (x < y ? -1 : 1)));
      }
      // Rows are marked sent right after Kafka acknowledges them, so this can trail the consumer a little.
      await eventually(async () => expect(await unsent()).toBe(0));
      const metrics = await (await fetch(`http://127.0.0.1:${orders.svc.opsPort}/metrics`)).text();
      expect(Number(/^orders_outbox_published_total(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(
        7,
      );
    } finally {
      await after.stop();
    }
  }, 120_000);
});
