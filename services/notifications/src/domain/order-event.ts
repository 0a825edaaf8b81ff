import type { Money } from './money.js';

/** The events that cause notifications; others (e.g. placed) cause none. */
export type OrderEventKind = 'placed' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled';

/** The part of an order event the templates need, free of protobuf types. */
export interface OrderEventView {
  eventId: string;
  kind: OrderEventKind;
  orderId: string;
  order: {
    number: string;
    customer: { id: string; name: string; email: string; phoneNumber: string };
    lines: Array<{ sku: string; name: string; quantity: bigint; unitPrice: Money; lineTotal: Money }>;
    subtotal: Money;
    tax: Money;
    total: Money;
  };
  /** Cancellation reason, when cancelled. */
  reason: string;
  /** Amount refunded to the customer's card, when a paid order was cancelled. */
  refund?: Money;
}
