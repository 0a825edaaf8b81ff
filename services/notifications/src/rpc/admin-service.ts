import type { ServiceImpl } from '@connectrpc/connect';
import type { NotificationAdminService } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import { invalidField, notFound } from '@ordersystem/platform';
import type { NotificationStore } from '../app/ports.js';
import { toNotificationMessage } from '../proto-mapping/notification-messages.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * NotificationAdminService: internal operations on dead notifications. It is served on the
 * service's own gRPC port, which the gateway does not route, so reaching it at all requires
 * being inside the cluster network (the CLI in src/cli.ts).
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
  };
}
