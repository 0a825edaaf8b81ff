import { create } from '@bufbuild/protobuf';
import {
  type Payment as PaymentMessage,
  PaymentMethod as PaymentEnum,
  PaymentSchema,
  PaymentState as StateEnum,
} from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { invalidField } from '@ordersystem/platform/errors';
import type { PaymentMethodName } from '../domain/order.js';
import type { Payment, PaymentState } from '../domain/payment.js';
import { money } from '../proto-mapping/order-messages.js';

const STATE_TO_ENUM: Record<PaymentState, StateEnum> = {
  on_delivery: StateEnum.ON_DELIVERY,
  requires_payment: StateEnum.REQUIRES_PAYMENT,
  paid: StateEnum.PAID,
  failed: StateEnum.FAILED,
  canceled: StateEnum.CANCELED,
  refund_pending: StateEnum.REFUND_PENDING,
  refunded: StateEnum.REFUNDED,
};

const METHOD_TO_ENUM: Record<PaymentMethodName, PaymentEnum> = {
  pay_on_delivery: PaymentEnum.PAY_ON_DELIVERY,
  card: PaymentEnum.CARD,
};

export const paymentMethodToProto = (method: PaymentMethodName): PaymentEnum => METHOD_TO_ENUM[method];

/** The order's payment as the API shows it (amounts in the order's currency). */
export function paymentToProto(payment: Payment, currency: string): PaymentMessage {
  return create(PaymentSchema, {
    state: STATE_TO_ENUM[payment.state],
    provider: payment.provider,
    reference: payment.reference,
    amountPaid: money(payment.amountPaidMinor, currency),
    refunded: money(payment.refundedMinor, currency),
    failureReason: payment.failureReason,
    refundReference: payment.refundReference,
  });
}

/**
 * The method the client asked for. Unspecified or a value the enum does not define is refused
 * rather than read as some default (the proto's rule says the same for callers it reaches first).
 */
export function paymentMethodFromProto(method: PaymentEnum): PaymentMethodName {
  switch (method) {
    case PaymentEnum.PAY_ON_DELIVERY:
      return 'pay_on_delivery';
    case PaymentEnum.CARD:
      return 'card';
    case PaymentEnum.UNSPECIFIED:
      throw invalidField('payment_method', 'is required (PAYMENT_METHOD_PAY_ON_DELIVERY or PAYMENT_METHOD_CARD)');
    default:
      throw invalidField('payment_method', `unknown value ${String(method)}`);
  }
}
