import {
  createAdmission,
  createKafka,
  createRuntime,
  createServer,
  kafkaSecurity,
  listenEarly,
  runMain,
  serve,
  startDatabase,
  startWorker,
} from '@ordersystem/platform';
import { FOLLOW_UP_BATCH, createCatalogFollowUps, queuedRunner } from './app/catalog-follow-ups.js';
import { createCatalogInventory } from './clients/catalog-inventory.js';
import { createCustomerContacts } from './clients/customer-contacts.js';
import { payOnDelivery } from './clients/pay-on-delivery.js';
import { loadOrdersConfig } from './config.js';
import { PgCatalogTaskStore } from './db/catalog-task-store.js';
import { migrations } from './db/migrations/index.js';
import { PgOrderRepository } from './db/order-repository.js';
import { oldestUnsentAge } from './db/outbox-backlog.js';
import { PgReservationJournal } from './db/reservation-journal.js';
import { consumerLag } from './events/consumer-lag.js';
import { KafkaPublisher } from './events/kafka-publisher.js';
import { encodeOrderEvent } from './events/order-events.js';
import { OutboxRelay } from './events/outbox-relay.js';
import { publishedCounter } from './events/relay-metrics.js';
import { createOrderMetrics } from './metrics.js';
import { wirePayments } from './payment-wiring.js';
import { routes } from './routes.js';

runMain(async () => {
  const config = loadOrdersConfig();
  const runtime = createRuntime('orders', config);
  // Probes get answers (alive, not ready) while PostgreSQL and Kafka are still being reached.
  const early = await listenEarly(runtime, config);
  const { logger, metrics, readiness, lifecycle } = runtime;
  const { db } = await startDatabase(runtime, config, migrations);
  const security = kafkaSecurity(config);
  const lagAdmin = createKafka({
    clientId: 'orders-lag-watch',
    brokers: config.KAFKA_BROKERS,
    logger,
    security,
    // Measured at scrape time: the next scrape is the retry, so a missing topic or an unreachable
    // broker fails this one fast instead of being retried for kafkajs' default 30 s.
    tuning: { retry: { retries: 1, maxRetryTime: 1_000 } },
  }).admin();
  lifecycle.onStop('kafka-lag-watch', () => lagAdmin.disconnect());
  const orderMetrics = createOrderMetrics(
    metrics.registry,
    {
      currency: config.ORDER_CURRENCY,
      oldestUnsentAge: () => oldestUnsentAge(db),
      consumerLag: async () => {
        if (config.LAG_WATCH_GROUPS.length === 0) return [];
        await lagAdmin.connect();
        return consumerLag(lagAdmin, config.ORDER_EVENTS_TOPIC, config.LAG_WATCH_GROUPS);
      },
    },
    logger,
  );

  const upstream = { timeoutMs: config.UPSTREAM_TIMEOUT_MS };
  const inventory = createCatalogInventory({ baseUrl: config.CATALOG_URL, ...upstream });
  const contacts = createCustomerContacts({ baseUrl: config.CUSTOMERS_URL, ...upstream });
  const journal = new PgReservationJournal(db);
  const worker = { logger, registry: metrics.registry, runAtStart: true };
  const tasks = createCatalogFollowUps({
    tasks: new PgCatalogTaskStore(db),
    journal,
    inventory,
    logger,
    leaseMs: config.RESERVATION_LEASE_MS,
    maxBackoffMs: config.RELAY_MAX_BACKOFF_MS * 6,
    metrics: orderMetrics,
  });
  const followUps = startWorker({
    name: 'catalog-follow-ups',
    pass: tasks.pass,
    intervalMs: config.CATALOG_TASK_POLL_MS,
    ...worker,
  });
  lifecycle.onStop('catalog-follow-ups', followUps.stop);
  const placedFollowUps = startWorker({
    name: 'catalog-follow-ups-placed',
    pass: tasks.drainQueued,
    intervalMs: config.CATALOG_TASK_POLL_MS,
    batchSize: FOLLOW_UP_BATCH,
    lingerMs: config.CATALOG_TASK_LINGER_MS,
    ...worker,
  });
  lifecycle.onStop('catalog-follow-ups-placed', placedFollowUps.stop);

  const publisher = new KafkaPublisher({
    brokers: config.KAFKA_BROKERS,
    clientId: 'orders-outbox',
    topic: config.ORDER_EVENTS_TOPIC,
    partitions: config.ORDER_EVENTS_PARTITIONS,
    replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
    security,
    logger,
  });
  lifecycle.onStop('kafka', () => publisher.close());
  const relay = new OutboxRelay({
    databaseUrl: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    publisher,
    logger,
    batchSize: config.OUTBOX_BATCH_SIZE,
    onPublished: publishedCounter(metrics),
  });
  lifecycle.onStop('outbox-relay-connection', () => relay.close());
  // Registered after its connection, so shutdown stops the loop before the connection closes.
  const relayWorker = startWorker({
    name: 'outbox-relay',
    pass: () => relay.pass(),
    intervalMs: config.OUTBOX_POLL_MS,
    batchSize: config.OUTBOX_BATCH_SIZE,
    lingerMs: config.OUTBOX_LINGER_MS,
    maxBackoffMs: config.RELAY_MAX_BACKOFF_MS,
    ...worker,
  });
  relay.onNotify(relayWorker.wake);
  lifecycle.onStop('outbox-relay', relayWorker.stop);

  const orders = new PgOrderRepository(db, encodeOrderEvent);
  const card = wirePayments(runtime, config, { db, encode: encodeOrderEvent, tasks, orders });
  const deps = {
    orders,
    inventory,
    contacts,
    journal,
    tasks: queuedRunner(tasks, placedFollowUps.wake),
    logger,
    metrics: orderMetrics,
    payments: new Map([
      ['pay_on_delivery' as const, payOnDelivery({ confirmAtPlacement: config.PAY_ON_DELIVERY_CONFIRMS })],
      ...(card ? [['card' as const, card.method] as const] : []),
    ]),
    provider: card?.provider,
    paymentEvents: card?.paymentEvents,
    paymentFollowUp: card?.paymentFollowUp,
    taxTable: config.TAX_RATES,
    currency: config.ORDER_CURRENCY,
    limits: { maxLines: config.MAX_ORDER_LINES },
    leaseMs: config.RESERVATION_LEASE_MS,
    placing: createAdmission({
      name: 'place_order',
      maxConcurrent: config.PLACE_ORDER_MAX_CONCURRENT,
      maxWaitMs: config.PLACE_ORDER_MAX_WAIT_MS,
      registry: metrics.registry,
    }),
  };
  const server = createServer({ service: 'orders', logger, metrics, readiness, routes: routes(deps) });
  await serve(runtime, server, config, early);
});
