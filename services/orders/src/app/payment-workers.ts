import { applyPayment, type ApplyPaymentDeps } from './apply-payment.js';
import { refundOrder } from './refund-order.js';

export interface PaymentWorkerDeps extends ApplyPaymentDeps {
  /** An order unpaid for this long is cancelled (PAYMENT_TIMEOUT). */
  paymentTimeoutMs: number;
  /** A pending payment untouched for this long is checked with the provider (a webhook may be lost). */
  reconcileAfterMs: number;
  batchSize: number;
}

/**
 * The reconciliation pass: asks the provider about payments pending longer than the threshold and
 * applies what it finds exactly as a webhook would, then retries refunds still due. Returns the
 * number of orders it changed (the worker's items).
 */
export async function reconcilePayments(deps: PaymentWorkerDeps): Promise<number> {
  let changed = 0;
  for (const order of await deps.paymentStore.awaitingPayment('updated', deps.reconcileAfterMs, deps.batchSize)) {
    try {
      const update = await deps.provider.lookup(order.payment.reference);
      const result = await applyPayment(deps, undefined, { ...update, orderId: order.id }, {});
      if (result.outcome === 'applied') {
        changed++;
        deps.paymentMetrics?.reconciled();
        deps.logger.warn(
          { orderId: order.id, outcome: update.outcome },
          'reconciliation applied a missed payment update',
        );
      }
    } catch (err) {
      deps.logger.warn({ err, orderId: order.id }, 'could not reconcile a payment; next pass retries');
    }
  }
  for (const order of await deps.paymentStore.refundsDue(deps.batchSize)) {
    if (await refundOrder(deps, order)) changed++;
  }
  return changed;
}

/**
 * The timeout pass: cancels card orders still unpaid after PAYMENT_TIMEOUT. The provider is asked
 * first, so a payment that succeeded (its webhook lost) confirms the order instead; otherwise the
 * payment is called off at the provider, then the order is cancelled and its stock released.
 */
export async function expireUnpaidOrders(deps: PaymentWorkerDeps): Promise<number> {
  let cancelled = 0;
  for (const order of await deps.paymentStore.awaitingPayment('placed', deps.paymentTimeoutMs, deps.batchSize)) {
    try {
      if ((await deps.provider.cancel(order.payment.reference)) === 'settled') {
        const update = await deps.provider.lookup(order.payment.reference);
        await applyPayment(deps, undefined, { ...update, orderId: order.id }, {});
        continue;
      }
      const reason = `unpaid after ${Math.round(deps.paymentTimeoutMs / 1000)} s`;
      if (await deps.paymentStore.cancelUnpaid(order.id, reason, {})) {
        cancelled++;
        deps.paymentMetrics?.outcome('canceled');
        await deps.tasks.runForOrder(order.id);
      }
    } catch (err) {
      deps.logger.warn({ err, orderId: order.id }, 'could not expire an unpaid order; next pass retries');
    }
  }
  return cancelled;
}
