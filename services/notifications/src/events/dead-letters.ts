import { toBinary } from '@bufbuild/protobuf';
import { NotificationSchema } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import type { DeadLetterPublisher } from '../app/ports.js';
import { toNotificationMessage } from '../proto-mapping/notification-messages.js';

/**
 * The dead-letter topic. Two kinds of record, told apart by the `x-dead-letter-kind` header:
 * `notification` (value: ordersystem.notifications.v1.Notification, key: notification id) and
 * `undecodable` (value and key: the original message's bytes, plus where it came from).
 * `x-dead-letter-reason` always says why.
 */
export function createDeadLetters(
  producer: Producer,
  topic: string,
): DeadLetterPublisher & {
  publishUndecodable(
    source: { topic: string; partition: number; message: KafkaMessage },
    reason: string,
  ): Promise<void>;
} {
  return {
    async publishDeadNotification(n) {
      await producer.send({
        topic,
        messages: [
          {
            key: n.id,
            value: Buffer.from(toBinary(NotificationSchema, toNotificationMessage(n))),
            headers: {
              'x-dead-letter-kind': 'notification',
              'x-dead-letter-reason': n.lastError ?? '',
              'x-event-id': n.eventId,
            },
          },
        ],
      });
    },
    async publishUndecodable({ topic: sourceTopic, partition, message }, reason) {
      const headers: IHeaders = {
        ...message.headers,
        'x-dead-letter-kind': 'undecodable',
        'x-dead-letter-reason': reason,
        'x-original-topic': sourceTopic,
        'x-original-partition': String(partition),
        'x-original-offset': message.offset,
      };
      await producer.send({ topic, messages: [{ key: message.key, value: message.value, headers }] });
    },
  };
}
