import { createRuntime, createServer, databaseReadiness, migrate, openDatabase, runMain, serve } from '@ordersystem/platform';
import { createCatalogInventory } from './clients/catalog-inventory.js';
import { createCustomerContacts } from './clients/customer-contacts.js';
import { loadOrdersConfig } from './config.js';
import { PgCatalogTaskStore } from './db/catalog-task-store.js';
import { entities } from './db/entities.js';
import { migrations } from './db/migrations/index.js';
import { PgOrderRepository } from './db/order-repository.js';
import { PgReservationJournal } from './db/reservation-journal.js';
import { KafkaPublisher } from './events/kafka-publisher.js';
import { encodeOrderEvent } from './events/order-events.js';
import { OutboxRelay } from './events/outbox-relay.js';
import { publishedCounter } from './events/relay-metrics.js';
import { payOnDelivery } from './payments/pay-on-delivery.js';
import { routes } from './routes.js';
import { CatalogTaskWorker } from './tasks/catalog-task-worker.js';

runMain(async () => {
  const config = loadOrdersConfig();
  const runtime = createRuntime('orders', config);
  const { logger, metrics, readiness, lifecycle } = runtime;

  const orm = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, entities, migrations });
  lifecycle.onStop('database', () => orm.close());
  if (config.MIGRATE_ON_START) logger.info({ applied: await migrate(orm) }, 'migrations applied');
  readiness.add(databaseReadiness(orm));

  const upstream = { timeoutMs: config.UPSTREAM_TIMEOUT_MS };
  const inventory = createCatalogInventory({ baseUrl: config.CATALOG_URL, ...upstream });
  const contacts = createCustomerContacts({ baseUrl: config.CUSTOMERS_URL, ...upstream });
  const journal = new PgReservationJournal(orm);
  const tasks = new CatalogTaskWorker({
    store: new PgCatalogTaskStore(orm), journal, inventory, logger,
    leaseMs: config.RESERVATION_LEASE_MS, pollMs: config.CATALOG_TASK_POLL_MS, maxBackoffMs: config.RELAY_MAX_BACKOFF_MS * 6,
  });
  tasks.start();
  lifecycle.onStop('catalog-tasks', () => tasks.stop());

  const publisher = new KafkaPublisher({ brokers: config.KAFKA_BROKERS, clientId: 'orders-outbox', topic: config.ORDER_EVENTS_TOPIC, partitions: config.ORDER_EVENTS_PARTITIONS });
  lifecycle.onStop('kafka', () => publisher.close());
  const relay = new OutboxRelay({
    databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, publisher, logger,
    pollMs: config.OUTBOX_POLL_MS, batchSize: config.OUTBOX_BATCH_SIZE, maxBackoffMs: config.RELAY_MAX_BACKOFF_MS,
    onPublished: publishedCounter(metrics),
  });
  relay.start();
  lifecycle.onStop('outbox-relay', () => relay.stop());

  const deps = {
    orders: new PgOrderRepository(orm, encodeOrderEvent), inventory, contacts, journal, tasks, logger,
    payments: new Map([['pay_on_delivery' as const, payOnDelivery({ confirmAtPlacement: config.PAY_ON_DELIVERY_CONFIRMS })]]),
    taxTable: config.TAX_RATES, currency: config.ORDER_CURRENCY, limits: { maxLines: config.MAX_ORDER_LINES }, leaseMs: config.RESERVATION_LEASE_MS,
  };
  const server = createServer({ service: 'orders', logger, metrics, readiness, routes: routes(deps) });
  await serve(runtime, server, config);
});
