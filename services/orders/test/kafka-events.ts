import { randomBytes } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { type OrderEvent, OrderEventSchema } from '@ordersystem/contracts/ordersystem/orders/v1/events';
import { Kafka, logLevel } from 'kafkajs';

export interface ReceivedEvent {
  key: string;
  event: OrderEvent;
  headers: Record<string, string>;
  partition: number;
  offset: bigint;
}

/**
 * Reads every OrderEvent on `topic` from the beginning (creating the topic first, with the
 * partitions the service would use, so the subscription never races its creation).
 */
export async function collectEvents(brokers: string[], topic: string) {
  const kafka = new Kafka({ clientId: 'orders-test-reader', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `orders-test-${randomBytes(5).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const events: ReceivedEvent[] = [];
  // Return only once the group is joined, so an event published right after is never waited for in vain.
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(Array.isArray(v) ? v[0] : v);
      events.push({
        key: String(message.key),
        event: fromBinary(OrderEventSchema, message.value!),
        headers,
        partition,
        offset: BigInt(message.offset),
      });
    },
  });
  await joined;
  return {
    events,
    /** Events of one order in the order they were consumed (= offset order within the partition). */
    of: (orderId: string) => events.filter((e) => e.key === orderId),
    stop: () => consumer.disconnect(),
  };
}
