import type { ConnectRouter } from '@connectrpc/connect';
import { NotificationAdminService } from '@ordersystem/contracts/ordersystem/notifications/v1/notifications';
import type { NotificationStore } from './app/ports.js';
import { adminService } from './rpc/admin-service.js';

/** The notifications service's RPC surface (internal admin only); health is added by the platform server. */
export function routes(deps: { store: NotificationStore }) {
  return (router: ConnectRouter): void => {
    router.service(NotificationAdminService, adminService(deps.store));
  };
}
