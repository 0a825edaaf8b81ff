import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import type { NotificationsConfig } from '../config.js';
import { createDeadLetters } from './dead-letters.js';

/**
 * The service's Kafka client, an admin connection (readiness, lag) and the idempotent
 * dead-letter producer. Makes sure the consumed and dead-letter topics exist, so neither start-up
 * order nor the first dead letter depends on broker auto-creation.
 */
export async function connectKafka(config: NotificationsConfig, logger: Logger) {
  const client = new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log }) => {
      const { message, ...extra } = log;
      logger[level <= logLevel.ERROR ? 'error' : 'warn']({ namespace, ...extra }, message);
    },
  });
  const admin = client.admin();
  await admin.connect();
  // Either service may start first on a fresh cluster; subscribing to a topic that does not exist
  // yet fails, so the consumed topic is created here too (a no-op when orders already did).
  await admin.createTopics({
    topics: [{ topic: config.DEAD_LETTER_TOPIC }, { topic: config.ORDER_EVENTS_TOPIC, numPartitions: config.ORDER_EVENTS_PARTITIONS }],
    waitForLeaders: true,
  });
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
