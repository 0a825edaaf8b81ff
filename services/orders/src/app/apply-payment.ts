import type { Logger } from '@ordersystem/platform';
import { decidePayment, type PaymentUpdate } from '../domain/payment.js';
import { isUuid } from '../domain/place-order-input.js';
import type { CatalogTaskRunner, PaymentApplyResult, PaymentMetrics, PaymentProvider, PaymentStore } from './ports.js';
import { refundOrder } from './refund-order.js';

export interface ApplyPaymentDeps {
  paymentStore: PaymentStore;
  provider: PaymentProvider;
  tasks: CatalogTaskRunner;
  logger: Logger;
  paymentMetrics?: PaymentMetrics;
}

const OUTCOME_BY_DECISION = {
  confirm: 'paid',
  record_failure: 'failed',
  refund_late_payment: 'late_refund',
  mismatch: 'mismatch',
} as const;

/**
 * Applies one provider update to its order, exactly as a webhook would, whether it came from a
 * webhook (`event` set: once per event id) or from asking the provider (reconciliation). After the
 * commit, the follow-ups run: the reservation commit of a confirmed order, the refund of a payment
 * that arrived for an order already cancelled.
 */
export async function applyPayment(
  deps: ApplyPaymentDeps,
  event: { eventId: string; provider: string } | undefined,
  update: PaymentUpdate,
  traceHeaders: Record<string, string>,
): Promise<PaymentApplyResult> {
  if (!isUuid(update.orderId)) {
    deps.logger.info({ reference: update.reference }, 'payment update without an order of ours; ignored');
    return { outcome: 'unknown_order' };
  }
  const result = await deps.paymentStore.apply(event, update, (order) => decidePayment(order, update), traceHeaders);
  if (result.outcome === 'duplicate' || result.outcome === 'unknown_order') return result;
  const { decision, order } = result;
  if (decision.kind === 'mismatch') {
    // Alert-worthy: money arrived that does not match the order; an operator must look.
    deps.logger.error(
      { orderId: order.id, reference: update.reference, alert: 'payment_mismatch' },
      `payment refused: ${decision.why}`,
    );
  }
  if (decision.kind !== 'ignore') deps.paymentMetrics?.outcome(OUTCOME_BY_DECISION[decision.kind]);
  if (decision.kind === 'confirm') await deps.tasks.runForOrder(order.id);
  if (decision.kind === 'refund_late_payment') await refundOrder(deps, order);
  return result;
}
