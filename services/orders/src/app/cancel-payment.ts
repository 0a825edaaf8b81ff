import type { Order } from '../domain/order.js';
import { applyPayment, type ApplyPaymentDeps } from './apply-payment.js';
import type { OrderRepository } from './ports.js';
import { refundOrder } from './refund-order.js';

/**
 * The payment side of a committed cancellation (customer, admin or system): a paid order is
 * refunded in full; an unpaid one has its payment called off at the provider, and should it turn
 * out to have succeeded meanwhile, that payment is applied, which refunds it. Failures are logged and
 * left to the reconciliation worker (refunds) or the late-payment refund (a payment made after all).
 */
export function cancelPayment(deps: ApplyPaymentDeps & { orders: OrderRepository }) {
  return async (order: Order): Promise<Order | undefined> => {
    const { state, reference } = order.payment;
    if (state === 'refund_pending') {
      await refundOrder(deps, order);
      return deps.orders.findById(order.id);
    }
    if (state !== 'canceled' || !reference) return undefined;
    try {
      if ((await deps.provider.cancel(reference)) === 'settled') {
        const update = await deps.provider.lookup(reference);
        await applyPayment(deps, undefined, { ...update, orderId: order.id }, {});
        return deps.orders.findById(order.id);
      }
    } catch (err) {
      deps.logger.warn({ err, orderId: order.id }, 'could not call off the payment of a cancelled order');
    }
    return undefined;
  };
}
