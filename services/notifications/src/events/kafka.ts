import { createKafka, ensureTopics, kafkaSecurity, type Logger } from '@ordersystem/platform';
import type { NotificationsConfig } from '../config.js';
import { createDeadLetters } from './dead-letters.js';

/** Dead letters are rare and read by people and tools in order; one partition keeps that order. */
const DEAD_LETTER_PARTITIONS = 1;

/**
 * The service's Kafka client, an admin connection (readiness, lag) and the idempotent
 * dead-letter producer. Makes sure the consumed and dead-letter topics exist, so neither start-up
 * order nor the first dead letter depends on broker auto-creation.
 */
export async function connectKafka(config: NotificationsConfig, logger: Logger) {
  const client = createKafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS,
    logger,
    security: kafkaSecurity(config),
  });
  const admin = client.admin();
  await admin.connect();
  // Either service may start first on a fresh cluster; subscribing to a topic that does not exist
  // yet fails, so the consumed topic is created here too (a no-op when orders already did).
  await ensureTopics(
    admin,
    [
      { topic: config.DEAD_LETTER_TOPIC, numPartitions: DEAD_LETTER_PARTITIONS },
      { topic: config.ORDER_EVENTS_TOPIC, numPartitions: config.ORDER_EVENTS_PARTITIONS },
    ],
    config.KAFKA_TOPIC_REPLICATION_FACTOR,
  );
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    client,
    admin,
    deadLetters: createDeadLetters(producer, config.DEAD_LETTER_TOPIC),
    close: async () => {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}
