import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { infraEnv } from '@ordersystem/testing';

describe('Kafka on the natively started broker', () => {
  const kafka = new Kafka({ clientId: 'skeleton-test', brokers: infraEnv().kafkaBrokers, logLevel: logLevel.NOTHING });

  it('produces with acks=all from an idempotent producer and consumes the same messages in order', async () => {
    const topic = `test.skeleton.${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: ['one', 'two', 'three'].map((value) => ({ key: 'k', value })) });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `skeleton-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value!.toString());
          if (received.length === 3) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(received).toEqual(['one', 'two', 'three']);
  });
});
