import { fromBinary } from '@bufbuild/protobuf';
import type { Money as MoneyMessage } from '@ordersystem/contracts/ordersystem/common/v1/money';
import { type OrderEvent, OrderEventSchema } from '@ordersystem/contracts/ordersystem/orders/v1/events';
import type { Money } from '../domain/money.js';
import type { OrderEventView } from '../domain/order-event.js';

/** Why a message could not be turned into an event; the reason goes to the dead-letter topic. */
export class UndecodableMessage extends Error {
  override readonly name = 'UndecodableMessage';
}

/** Decodes a Kafka value into the templates' view of an order event, or throws UndecodableMessage. */
export function decodeOrderEvent(value: Buffer | null): OrderEventView {
  if (!value || value.length === 0) throw new UndecodableMessage('empty message value');
  let event: OrderEvent;
  try {
    event = fromBinary(OrderEventSchema, value);
  } catch (err) {
    throw new UndecodableMessage(
      `not an ordersystem.orders.v1.OrderEvent: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const order = event.order;
  if (!event.eventId) throw new UndecodableMessage('event_id is missing');
  if (!order || !order.customer) throw new UndecodableMessage('order snapshot is missing');
  if (!event.kind.case) throw new UndecodableMessage('event kind is not set (unknown to this version?)');
  return {
    eventId: event.eventId,
    kind: event.kind.case,
    orderId: event.orderId,
    order: {
      number: order.number,
      customer: {
        id: order.customer.customerId,
        name: order.customer.name,
        email: order.customer.email,
        phoneNumber: order.customer.phoneNumber,
      },
      lines: order.lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitPrice: money(l.unitPrice),
        lineTotal: money(l.lineTotal),
      })),
      subtotal: money(order.subtotal),
      tax: money(order.tax),
      total: money(order.total),
    },
    reason: event.kind.case === 'cancelled' ? event.kind.value.reason : '',
    refund: event.kind.case === 'cancelled' && event.kind.value.refund ? money(event.kind.value.refund) : undefined,
  };
}

function money(m: MoneyMessage | undefined): Money {
  return { currencyCode: m?.currencyCode ?? '', amountMinor: m?.amountMinor ?? 0n };
}
