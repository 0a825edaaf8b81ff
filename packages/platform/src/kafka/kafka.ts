import { readFileSync } from 'node:fs';
import { type Admin, type ITopicConfig, Kafka, type KafkaConfig, type SASLOptions, logLevel } from 'kafkajs';
import { ConfigError } from '../config.js';
import type { Logger } from '../logger.js';

/** The settings of platform kafkaEnv. */
export interface KafkaSecurityConfig {
  KAFKA_TLS: boolean;
  KAFKA_CA_FILE?: string;
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}
export type KafkaSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/**
 * TLS (with the mounted CA bundle, read once at start) and SASL for a managed broker. A mechanism
 * without both credentials is a configuration error, never a silent plaintext connection.
 */
export function kafkaSecurity(c: KafkaSecurityConfig): KafkaSecurity {
  const out: KafkaSecurity = {};
  if (c.KAFKA_TLS) out.ssl = c.KAFKA_CA_FILE ? { ca: [readFileSync(c.KAFKA_CA_FILE, 'utf8')] } : true;
  else if (c.KAFKA_CA_FILE)
    throw new ConfigError('invalid configuration:\n  KAFKA_CA_FILE: set, but KAFKA_TLS is not true');
  if (c.KAFKA_SASL_MECHANISM) {
    const missing = (['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const).filter((k) => !c[k]);
    if (missing.length > 0) {
      throw new ConfigError(
        `invalid configuration:\n${missing.map((k) => `  ${k}: required with KAFKA_SASL_MECHANISM`).join('\n')}`,
      );
    }
    out.sasl = {
      mechanism: c.KAFKA_SASL_MECHANISM,
      username: c.KAFKA_SASL_USERNAME,
      password: c.KAFKA_SASL_PASSWORD,
    } as SASLOptions;
  }
  return out;
}

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
  /** Overrides of kafkajs' connection and retry settings (a relay that owns its own backoff retries briefly). */
  tuning?: Pick<KafkaConfig, 'connectionTimeout' | 'requestTimeout' | 'retry'>;
  /** TLS and SASL (kafkaSecurity); plaintext when absent. */
  security?: KafkaSecurity;
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
    ...o.security,
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
 * Creates the topics that do not exist yet with an explicit partition count (and replication
 * factor, KAFKA_TOPIC_REPLICATION_FACTOR), so neither start-up order nor the broker's
 * auto-creation defaults decide how a topic looks. Existing topics are left as they are.
 */
export async function ensureTopics(admin: Admin, topics: ITopicConfig[], replicationFactor?: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics
    .filter((t) => !existing.has(t.topic))
    .map((t) => (replicationFactor === undefined ? t : { replicationFactor, ...t }));
  if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
}
