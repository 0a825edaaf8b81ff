import { createKafka, ensureTopics, type KafkaSecurity, type Logger } from '@ordersystem/platform';
import { type Message, Partitioners, type Producer } from 'kafkajs';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  partitions: number;
  /** Of the topic when this publisher creates it; undefined leaves it to the broker. */
  replicationFactor?: number;
  security?: KafkaSecurity;
  logger: Logger;
}

/**
 * The relay's Kafka side: an idempotent producer (acks from all in-sync replicas, one request
 * in flight, so retries can neither duplicate nor reorder within a session). Any failure drops
 * the producer; the next send builds a fresh one, which is how we come back after a broker
 * restart. kafkajs retries only briefly: the relay's worker owns the long backoff.
 */
export class KafkaPublisher {
  private producer: Producer | undefined;

  constructor(private readonly options: KafkaPublisherOptions) {}

  /** Publishes the batch in order; resolves only once every message is acknowledged. */
  async send(messages: Message[]): Promise<void> {
    try {
      const producer = await this.connect();
      await producer.send({ topic: this.options.topic, acks: -1, messages });
    } catch (err) {
      await this.reset();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async connect(): Promise<Producer> {
    if (this.producer) return this.producer;
    const { brokers, clientId, logger, topic, partitions, replicationFactor, security } = this.options;
    const kafka = createKafka({
      clientId,
      brokers,
      logger,
      security,
      tuning: {
        connectionTimeout: 1_000,
        requestTimeout: 5_000,
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
      },
    });
    // Enough partitions for per-order ordering by key; existing topics are left as they are.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, [{ topic, numPartitions: partitions }], replicationFactor);
    } finally {
      await admin.disconnect();
    }
    // The murmur2 partitioner kafkajs uses by default (the Java client's), named so kafkajs does not warn about it.
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    // The producer is being thrown away (usually because the broker is gone), so a failed
    // disconnect changes nothing; it is logged, not thrown.
    await producer
      ?.disconnect()
      .catch((err: unknown) => this.options.logger.warn({ err }, 'kafka producer did not disconnect cleanly'));
  }
}
