import { createRuntime, createServer, databaseReadiness, migrate, openDatabase, runMain, serve } from '@ordersystem/platform';
import { createDispatcher } from './app/dispatcher.js';
import { loadNotificationsConfig } from './config.js';
import { crashPoint } from './crash.js';
import { entities } from './db/entities.js';
import { migrations } from './db/migrations/index.js';
import { createNotificationStore } from './db/notification-store.js';
import { connectKafka } from './events/kafka.js';
import { createOrderEventConsumer } from './events/order-event-consumer.js';
import { createNotificationMetrics } from './metrics.js';
import { createSenders } from './providers/senders.js';
import { routes } from './routes.js';

runMain(async () => {
  const config = loadNotificationsConfig();
  const runtime = createRuntime('notifications', config);
  const { logger, metrics, readiness, lifecycle } = runtime;
  const crash = crashPoint(config.CRASH_AT);

  const orm = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, entities, migrations });
  lifecycle.onStop('database', () => orm.close());
  if (config.MIGRATE_ON_START) logger.info({ applied: await migrate(orm) }, 'migrations applied');
  readiness.add(databaseReadiness(orm));
  const store = createNotificationStore(orm);
  const deliveryMetrics = createNotificationMetrics(metrics.registry);

  const kafka = await connectKafka(config, logger);
  lifecycle.onStop('kafka', kafka.close);
  const senders = createSenders(config, deliveryMetrics, logger);
  lifecycle.onStop('providers', senders.close);

  // Stops before the consumer: the pass in flight records its results while the database is open.
  const dispatcher = createDispatcher({
    store, senders: senders.byChannel, deadLetters: kafka.deadLetters, metrics: deliveryMetrics, logger, crash,
    retry: { baseMs: config.RETRY_BASE_MS, factor: config.RETRY_FACTOR, capMs: config.RETRY_CAP_MS, maxAttempts: config.MAX_ATTEMPTS },
    intervalMs: config.DISPATCH_INTERVAL_MS, batchSize: config.DISPATCH_BATCH_SIZE, leaseMs: config.SEND_LEASE_MS,
  });
  const consumer = createOrderEventConsumer({
    kafka: kafka.client, admin: kafka.admin, topic: config.ORDER_EVENTS_TOPIC, groupId: config.KAFKA_GROUP_ID, sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS, fromBeginning: config.CONSUMER_FROM_BEGINNING,
    store, deadLetters: kafka.deadLetters, adminEmails: config.ADMIN_EMAILS, logger, crash,
  });
  readiness.add(consumer.readiness);
  deliveryMetrics.watchLag(config.ORDER_EVENTS_TOPIC, consumer.lag);
  lifecycle.onStop('dispatcher', dispatcher.stop);
  lifecycle.onStop('consumer', consumer.stop);
  await consumer.start();
  dispatcher.start();

  const server = createServer({ service: 'notifications', logger, metrics, readiness, routes: routes({ store }) });
  await serve(runtime, server, config);
});
