import type { Logger } from '@ordersystem/platform';
import type { Order } from '../domain/order.js';
import type { PaymentMetrics, PaymentProvider, PaymentStore } from './ports.js';

export interface RefundDeps {
  paymentStore: PaymentStore;
  provider: PaymentProvider;
  logger: Logger;
  paymentMetrics?: PaymentMetrics;
}

/**
 * Refunds a `refund_pending` order in full and records it. Idempotent by order id: the provider
 * call carries the order id as its key and the store only records a pending refund, so a retried
 * cancel, a second worker pass or a restart never refunds twice. A failure leaves the order
 * `refund_pending` for the reconciliation worker to retry; it is logged, not thrown. True when refunded now.
 */
export async function refundOrder(deps: RefundDeps, order: Order): Promise<boolean> {
  if (order.payment.state !== 'refund_pending') return false;
  try {
    const amount = order.payment.amountPaidMinor;
    const reference = await deps.provider.refund(order.payment.reference, order.id, amount);
    // The cancel and a reconciliation pass may both get here for one order; the provider gives
    // both the same refund, and only the one that records it counts it.
    const recorded = await deps.paymentStore.recordRefund(order.id, reference, amount);
    if (recorded) deps.paymentMetrics?.refund('issued');
    return recorded;
  } catch (err) {
    deps.paymentMetrics?.refund('failed');
    deps.logger.warn({ err, orderId: order.id }, 'refund failed; the reconciliation worker retries it');
    return false;
  }
}
