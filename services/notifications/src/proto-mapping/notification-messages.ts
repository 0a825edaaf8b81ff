import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  Channel,
  type Notification as NotificationMessage,
  NotificationSchema,
  NotificationStatus,
} from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import type { Notification } from '../domain/notification.js';

const STATUS: Record<Notification['status'], NotificationStatus> = {
  pending: NotificationStatus.PENDING,
  // Being sent right now; to the outside it is still waiting for delivery.
  sending: NotificationStatus.PENDING,
  sent: NotificationStatus.SENT,
  failed: NotificationStatus.FAILED,
  dead: NotificationStatus.DEAD,
};

/**
 * Domain notification → ordersystem.notifications.v1.Notification. The admin RPCs (rpc/) and the
 * dead-letter records (events/) carry the same message, so both use this one mapping; it lives
 * here, beside neither, so no adapter imports another sideways.
 */
export function toNotificationMessage(n: Notification): NotificationMessage {
  return create(NotificationSchema, {
    id: n.id,
    eventId: n.eventId,
    channel: n.channel === 'sms' ? Channel.SMS : Channel.EMAIL,
    recipient: n.recipient,
    status: STATUS[n.status],
    attempts: n.attempts,
    lastError: n.lastError ?? '',
    providerMessageId: n.providerMessageId ?? '',
    createdAt: timestampFromDate(n.createdAt),
    updatedAt: timestampFromDate(n.updatedAt),
    orderId: n.orderId,
    eventKind: n.eventKind,
  });
}
