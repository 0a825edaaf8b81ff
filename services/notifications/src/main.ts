import {
  createRuntime,
  createServer,
  listenEarly,
  runMain,
  serve,
  startDatabase,
  startWorker,
} from '@ordersystem/platform';
import { createDispatcher } from './app/dispatcher.js';
import { createSenders } from './clients/senders.js';
import { loadNotificationsConfig } from './config.js';
import { crashPoint } from './crash.js';
import { migrations } from './db/migrations/index.js';
import { createNotificationStore } from './db/notification-store.js';
import { connectKafka } from './events/kafka.js';
import { createOrderEventConsumer } from './events/order-event-consumer.js';
import { createNotificationMetrics } from './metrics.js';
import { routes } from './routes.js';

runMain(async () => {
  const config = loadNotificationsConfig();
  const runtime = createRuntime('notifications', config);
  // Probes get answers (alive, not ready) while PostgreSQL and Kafka are still being reached.
  const early = await listenEarly(runtime, config);
  const { logger, metrics, readiness, lifecycle } = runtime;
  const crash = crashPoint(config.CRASH_AT);

  const { db } = await startDatabase(runtime, config, migrations);
  const store = createNotificationStore(db);
  const deliveryMetrics = createNotificationMetrics(metrics.registry, logger);

  const kafka = await connectKafka(config, logger);
  lifecycle.onStop('kafka', kafka.close);
  const senders = createSenders(config, deliveryMetrics, logger);
  lifecycle.onStop('providers', senders.close);

  const dispatcher = createDispatcher({
    store,
    senders: senders.byChannel,
    deadLetters: kafka.deadLetters,
    metrics: deliveryMetrics,
    logger,
    crash,
    retry: {
      baseMs: config.RETRY_BASE_MS,
      factor: config.RETRY_FACTOR,
      capMs: config.RETRY_CAP_MS,
      maxAttempts: config.MAX_ATTEMPTS,
    },
    batchSize: config.DISPATCH_BATCH_SIZE,
    leaseMs: config.SEND_LEASE_MS,
  });
  const dispatching = startWorker({
    name: 'dispatcher',
    pass: dispatcher.runOnce,
    intervalMs: config.DISPATCH_INTERVAL_MS,
    batchSize: config.DISPATCH_BATCH_SIZE,
    lingerMs: config.DISPATCH_LINGER_MS,
    logger,
    registry: metrics.registry,
  });
  // Registered before the consumer, so it stops after it (nothing wakes it any more) and before
  // the providers and the database: the pass in flight, then the outcomes kept in memory, are
  // recorded while both are still open.
  lifecycle.onStop('dispatcher', async () => {
    await dispatching.stop();
    await dispatcher.drain();
  });
  const consumer = createOrderEventConsumer({
    kafka: kafka.client,
    admin: kafka.admin,
    topic: config.ORDER_EVENTS_TOPIC,
    groupId: config.KAFKA_GROUP_ID,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    fromBeginning: config.CONSUMER_FROM_BEGINNING,
    store,
    deadLetters: kafka.deadLetters,
    adminEmails: config.ADMIN_EMAILS,
    logger,
    crash,
    onStored: dispatching.wake,
  });
  readiness.add(consumer.readiness);
  deliveryMetrics.watchLag(config.ORDER_EVENTS_TOPIC, consumer.lag);
  lifecycle.onStop('consumer', consumer.stop);
  await consumer.start();

  const server = createServer({ service: 'notifications', logger, metrics, readiness, routes: routes({ store }) });
  await serve(runtime, server, config, early);
});
