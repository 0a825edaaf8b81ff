import type { ServiceImpl } from '@connectrpc/connect';
import type { NotificationAdminService } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { invalidField, notFound } from '@ordersystem/platform';
import type { NotificationStore } from '../app/ports.js';
import { toNotificationMessage } from '../proto-mapping/notification-messages.js';

/** An order causes a handful of notifications (one per event and channel); this bounds the answer anyway. */
const MAX_PER_ORDER = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * NotificationAdminService: dead notifications and an order's notifications, for administrators.
 * The gateway routes it under the admin policy (the admin console); inside the cluster the CLI in
 * src/cli.ts reaches it on the service's own gRPC port.
 */
export function adminService(store: NotificationStore): ServiceImpl<typeof NotificationAdminService> {
  return {
    async listDeadNotifications(req) {
      if (req.pageSize > 100) throw invalidField('page_size', 'must be at most 100');
      const size = req.pageSize || 20;
      let after: bigint | undefined;
      if (req.pageToken) {
        if (!/^\d+$/.test(req.pageToken)) throw invalidField('page_token', 'not a token from a previous page');
        after = BigInt(req.pageToken);
      }
      const rows = await store.listDead(size + 1, after);
      const page = rows.slice(0, size);
      return {
        notifications: page.map(toNotificationMessage),
        nextPageToken: rows.length > size ? page[page.length - 1]!.seq.toString() : '',
      };
    },

    async replayDeadNotifications(req) {
      const target = req.target;
      if (target.case === 'all') {
        if (!target.value) throw invalidField('all', 'must be true');
        return { replayedCount: await store.replayDead(undefined) };
      }
      if (target.case !== 'id') throw invalidField('target', 'set exactly one of id or all');
      if (!UUID.test(target.value)) throw invalidField('id', 'must be a UUID');
      const replayed = await store.replayDead(target.value);
      if (replayed === 0) throw notFound(`dead notification ${target.value}`);
      return { replayedCount: replayed };
    },

    async listOrderNotifications(req) {
      if (!UUID.test(req.orderId)) throw invalidField('order_id', 'must be a UUID');
      const rows = await store.listForOrder(req.orderId, MAX_PER_ORDER);
      return { notifications: rows.map(toNotificationMessage) };
    },
  };
}
