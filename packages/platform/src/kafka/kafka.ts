import { type Admin, type ITopicConfig, Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { Logger } from '../logger.js';

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
  /** Overrides of kafkajs' connection and retry settings (a relay that owns its own backoff retries briefly). */
  tuning?: Pick<KafkaConfig, 'connectionTimeout' | 'requestTimeout' | 'retry'>;
}

/**
 * The one Kafka client setup: kafkajs' own logs go to the service's JSON log at warn and above
 * (errors as errors), never switched off, and never printed in kafkajs' own format.
 */
export function createKafka(o: KafkaOptions): Kafka {
  return new Kafka({
    clientId: o.clientId,
    brokers: o.brokers,
    ...o.tuning,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }) => {
        const { message, ...extra } = log;
        o.logger[level <= logLevel.ERROR ? 'error' : 'warn']({ namespace, ...extra }, `kafka: ${message}`);
      },
  });
}

/**
 * Creates the topics that do not exist yet with an explicit partition count, so neither start-up
 * order nor the broker's auto-creation defaults decide how a topic looks. Existing topics are left
 * as they are.
 */
export async function ensureTopics(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
}
