import type { ConnectRouter } from '@connectrpc/connect';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { orderService, type OrderServiceDeps } from './rpc/order-service.js';

/** The orders service's RPC surface; health is added by the platform server. */
export function routes(deps: OrderServiceDeps) {
  return (router: ConnectRouter): void => {
    router.service(OrderService, orderService(deps));
  };
}
