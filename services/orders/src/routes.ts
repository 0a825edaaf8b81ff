import type { ConnectRouter } from '@connectrpc/connect';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { PaymentEventService } from '@ordersystem/contracts/ordersystem/orders/v1/payments';
import type { ApplyPaymentDeps } from './app/apply-payment.js';
import { orderService, type OrderServiceDeps } from './rpc/order-service.js';
import { paymentEventService } from './rpc/payment-event-service.js';

/**
 * The orders service's RPC surface; health is added by the platform server. PaymentEventService
 * (internal: the gateway's webhook route) exists when an online payment provider is configured.
 */
export function routes(deps: OrderServiceDeps & { paymentEvents?: ApplyPaymentDeps }) {
  return (router: ConnectRouter): void => {
    router.service(OrderService, orderService(deps));
    if (deps.paymentEvents) router.service(PaymentEventService, paymentEventService(deps.paymentEvents));
  };
}
