import { randomBytes, randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { type OrderEvent, OrderEventSchema } from '@ordersystem/contracts/ordersystem/orders/v1/events';
import { OrderStatus } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { type SmtpSink, type TwilioFake, startSmtpSink, startTwilioFake } from '@ordersystem/dev-sinks';
import {
  type InfraEnv,
  type RunningService,
  type TestSchema,
  createTestSchema,
  infraEnv,
  startService,
} from '@ordersystem/testing';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { Client } from 'pg';

export type EventKind = 'confirmed' | 'shipped' | 'delivered' | 'cancelled' | 'placed';
const eur = (amountMinor: bigint) => ({ currencyCode: 'EUR', amountMinor });

/** A real OrderEvent as the orders service publishes it. */
export function anOrderEvent(
  kind: EventKind = 'confirmed',
  overrides: { phoneNumber?: string; eventId?: string } = {},
): OrderEvent {
  const orderId = randomUUID();
  const kinds = {
    placed: { case: 'placed', value: {} },
    confirmed: { case: 'confirmed', value: { actorId: randomUUID() } },
    shipped: { case: 'shipped', value: { actorId: randomUUID() } },
    delivered: { case: 'delivered', value: { actorId: randomUUID() } },
    cancelled: {
      case: 'cancelled',
      value: { reason: 'changed my mind', actorRole: 'customer', actorId: randomUUID() },
    },
  } as const;
  return create(OrderEventSchema, {
    eventId: overrides.eventId ?? randomUUID(),
    occurredAt: timestampNow(),
    orderId,
    order: {
      id: orderId,
      number: `ORD-${randomBytes(3).toString('hex').toUpperCase()}`,
      customer: {
        customerId: randomUUID(),
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phoneNumber:
          overrides.phoneNumber ??
          `+4477009${Math.floor(Math.random() * 1e5)
            .toString()
            .padStart(5, '0')}`,
      },
      status: OrderStatus.CONFIRMED,
      lines: [
        {
          productId: randomUUID(),
          sku: 'TEA-1',
          name: 'Green tea',
          taxClass: 'standard',
          quantity: 2n,
          unitPrice: eur(450n),
          lineSubtotal: eur(900n),
          lineTax: eur(180n),
          lineTotal: eur(1080n),
        },
      ],
      subtotal: eur(900n),
      tax: eur(180n),
      total: eur(1080n),
    },
    kind: kinds[kind],
  });
}

export const ADMIN_EMAIL = 'ops@shop.example';

/**
 * Everything one test file needs around the service: unique topics and group, the local
 * providers in-process, a producer, a dead-letter reader, and a schema the service can be
 * (re)started on, so a restart after SIGKILL sees the same rows and the same committed offsets.
 */
export async function startHarness(name: string) {
  const infra = infraEnv();
  const suffix = `${name}-${randomBytes(4).toString('hex')}`;
  const topic = `test.orders.events.${suffix}`;
  const dlt = `test.notifications.dlt.${suffix}`;
  const kafka = new Kafka({ clientId: `test-${suffix}`, brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }, { topic: dlt }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  const [smtp, twilio, schema] = await Promise.all([
    startSmtpSink(),
    startTwilioFake(),
    createTestSchema(infra, 'notifications'),
  ]);
  const deadLetters = await readTopic(kafka, dlt, `test-dlt-${suffix}`);
  const db = await openDb(infra, schema);
  const baseEnv: Record<string, string> = {
    DATABASE_URL: schema.url,
    DATABASE_SCHEMA: schema.schema,
    MIGRATE_ON_START: 'true',
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_ID: `notifications-${suffix}`,
    ORDER_EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: dlt,
    CONSUMER_FROM_BEGINNING: 'true',
    ADMIN_EMAILS: ADMIN_EMAIL,
    SMTP_URL: `smtp://127.0.0.1:${smtp.smtpPort}`,
    TWILIO_LOCAL_URL: twilio.url,
    DISPATCH_INTERVAL_MS: '100',
    RETRY_BASE_MS: '100',
    RETRY_CAP_MS: '1000',
    PROVIDER_TIMEOUT_MS: '1000',
    SEND_LEASE_MS: '3000',
    BREAKER_VOLUME_THRESHOLD: '1000',
    BREAKER_RESET_TIMEOUT_MS: '1000',
    SHUTDOWN_GRACE_MS: '3000',
  };
  const running: RunningService[] = [];

  return {
    infra,
    /** The environment start() gives the process (database, topics, providers). */
    env: baseEnv,
    topic,
    dlt,
    smtp,
    twilio,
    db,
    deadLetters,
    running,
    /** The service's schema on the shared database (for tests that lock or inspect rows as admin). */
    schema: schema.schema,
    /** Starts the service as a real process on this harness's schema, topics and providers. */
    async start(env: Record<string, string> = {}): Promise<RunningService> {
      const svc = await startService('notifications', { ...baseEnv, ...env });
      running.push(svc);
      return svc;
    },
    async produce(event: OrderEvent | Buffer, key?: string): Promise<void> {
      const value = Buffer.isBuffer(event) ? event : Buffer.from(toBinary(OrderEventSchema, event));
      await producer.send({
        topic,
        messages: [{ key: key ?? (Buffer.isBuffer(event) ? 'poison' : event.orderId), value }],
      });
    },
    /** Produces a hand-made record (e.g. with a traceparent header) to the events topic. */
    async produceRaw(message: { key: string; value: Buffer; headers?: Record<string, string> }): Promise<void> {
      await producer.send({ topic, messages: [message] });
    },
    async close(): Promise<void> {
      for (const svc of running) await svc.stop('SIGKILL');
      await Promise.all([deadLetters.close(), producer.disconnect(), smtp.close(), twilio.close(), db.end()]);
      await admin.deleteTopics({ topics: [topic, dlt] }).catch(() => undefined);
      await admin.disconnect();
      await schema.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Collects every record of a topic from the beginning. */
async function readTopic(kafka: Kafka, topic: string, groupId: string) {
  const records: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void records.push(message) });
  return { records, close: () => consumer.disconnect() };
}

async function openDb(infra: InfraEnv, schema: TestSchema) {
  const client = new Client({ connectionString: infra.adminUrl });
  await client.connect();
  return {
    rows: async (where = 'true', params: unknown[] = []) =>
      (
        await client.query(
          `select * from ${schema.schema}.notifications where ${where} order by created_at, channel`,
          params,
        )
      ).rows as Array<Record<string, unknown>>,
    end: () => client.end(),
  };
}

/** Polls until `check` returns a truthy value (or throws its last error after `timeoutMs`). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = new Error('condition still false');
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw last;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once the process has gone (after SIGKILL it exits with a null code). */
export function exited(svc: RunningService): Promise<NodeJS.Signals | null> {
  if (svc.child.exitCode !== null || svc.child.signalCode !== null) return Promise.resolve(svc.child.signalCode);
  return new Promise((resolve) => svc.child.once('exit', (_code, signal) => resolve(signal)));
}

export type { SmtpSink, TwilioFake };
