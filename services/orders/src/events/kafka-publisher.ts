import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  partitions: number;
}

/**
 * The relay's Kafka side: an idempotent producer (acks from all in-sync replicas, one request
 * in flight, so retries can neither duplicate nor reorder within a session). Any failure drops
 * the producer; the next send builds a fresh one, which is how we come back after a broker
 * restart. kafkajs retries only briefly: the relay owns the long backoff.
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
    const kafka = new Kafka({
      clientId: this.options.clientId,
      brokers: this.options.brokers,
      connectionTimeout: 1_000,
      requestTimeout: 5_000,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: logLevel.NOTHING,
    });
    await this.ensureTopic(kafka);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  /** Creates the topic with enough partitions for per-order ordering by key; no-op when it exists. */
  private async ensureTopic(kafka: Kafka): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      if (!existing.includes(this.options.topic)) {
        await admin.createTopics({ topics: [{ topic: this.options.topic, numPartitions: this.options.partitions }], waitForLeaders: true });
      }
    } finally {
      await admin.disconnect();
    }
  }

  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}
