import { failedPrecondition } from '@ordersystem/platform/errors';
import type { OrderStatus } from './order-status.js';

/** Where an order's payment stands (see PaymentState in orders.proto). */
export type PaymentState =
  'on_delivery' | 'requires_payment' | 'paid' | 'failed' | 'canceled' | 'refund_pending' | 'refunded';

/** An order's payment as the provider reported it. Amounts in integer minor units of the order's currency. */
export interface Payment {
  state: PaymentState;
  /** "stripe", …; empty for pay on delivery. */
  provider: string;
  /** The provider's payment id (a PaymentIntent id). */
  reference: string;
  amountPaidMinor: bigint;
  refundedMinor: bigint;
  failureReason: string;
  refundReference: string;
}

/** The payment of an order that is paid to the courier. */
export const ON_DELIVERY: Payment = {
  state: 'on_delivery',
  provider: '',
  reference: '',
  amountPaidMinor: 0n,
  refundedMinor: 0n,
  failureReason: '',
  refundReference: '',
};

/** A provider-neutral report about one payment: from a webhook event or from asking the provider. */
export interface PaymentUpdate {
  /** The provider's payment id. */
  reference: string;
  /** The order the payment was created for (the provider keeps it in the payment's metadata). */
  orderId: string;
  outcome: 'succeeded' | 'failed' | 'pending' | 'canceled';
  amountMinor: bigint;
  /** ISO 4217, upper case. */
  currency: string;
  failureReason: string;
}

/** What applying an update does to the order; decided here, written by the payment store. */
export type PaymentDecision =
  | { kind: 'confirm'; amountMinor: bigint }
  | { kind: 'record_failure'; reason: string }
  /** Paid after the order was cancelled (a race with a cancel or the timeout): give the money back. */
  | { kind: 'refund_late_payment'; amountMinor: bigint }
  | { kind: 'mismatch'; why: string }
  | { kind: 'ignore'; why: string };

/** The order as the decision needs it. */
export interface PayableOrder {
  status: OrderStatus;
  currency: string;
  totalMinor: bigint;
  payment: Payment;
}

/**
 * Decides what a provider update means for an order. Applying the same update twice decides
 * `ignore` the second time (the state already says so), which makes webhooks and reconciliation
 * safe to overlap. A success for another amount or currency than the order's is a `mismatch`: it is
 * refused and logged for an operator, never taken as payment.
 */
export function decidePayment(order: PayableOrder, update: PaymentUpdate): PaymentDecision {
  const p = order.payment;
  if (p.reference !== update.reference) return { kind: 'ignore', why: 'not the payment of this order' };
  if (update.outcome === 'succeeded') {
    if (update.currency !== order.currency || update.amountMinor !== order.totalMinor) {
      return {
        kind: 'mismatch',
        why: `paid ${update.amountMinor} ${update.currency}, order total is ${order.totalMinor} ${order.currency}`,
      };
    }
    if (p.state === 'requires_payment' || p.state === 'failed') {
      if (order.status === 'pending') return { kind: 'confirm', amountMinor: update.amountMinor };
      return { kind: 'ignore', why: `order is ${order.status} while its payment was ${p.state}` };
    }
    if (p.state === 'canceled' && order.status === 'cancelled') {
      return { kind: 'refund_late_payment', amountMinor: update.amountMinor };
    }
    return { kind: 'ignore', why: `payment already ${p.state}` };
  }
  if (update.outcome === 'failed' && p.state === 'requires_payment' && order.status === 'pending') {
    return { kind: 'record_failure', reason: update.failureReason || 'payment failed' };
  }
  if (update.outcome === 'failed' && p.state === 'failed' && p.failureReason !== update.failureReason) {
    return { kind: 'record_failure', reason: update.failureReason || 'payment failed' };
  }
  return { kind: 'ignore', why: `${update.outcome} while payment is ${p.state}` };
}

/** How a cancellation moves the payment: paid → refund_pending, unpaid → canceled, others unchanged. */
export function paymentStateOnCancel(state: PaymentState): PaymentState {
  if (state === 'paid') return 'refund_pending';
  if (state === 'requires_payment' || state === 'failed') return 'canceled';
  return state;
}

/** An order paid online is confirmed by its payment, never by hand before the money arrived. */
export function assertPaidBeforeConfirm(state: PaymentState, to: OrderStatus): void {
  if (to === 'confirmed' && (state === 'requires_payment' || state === 'failed')) {
    throw failedPrecondition('the card payment has not been received; the order is confirmed when it is');
  }
}
