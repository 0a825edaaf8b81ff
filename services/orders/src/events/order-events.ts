import { randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  CustomerContactSchema,
  type OrderEvent,
  OrderCancelledSchema,
  OrderConfirmedSchema,
  OrderDeliveredSchema,
  OrderEventSchema,
  OrderPlacedSchema,
  OrderShippedSchema,
  OrderSnapshotSchema,
} from '@ordersystem/contracts/ordersystem/orders/v1/events';
import type { OrderEventEncoder } from '../app/ports.js';
import type { Order } from '../domain/order.js';
import { lineToProto, money, statusToProto } from '../proto-mapping/order-messages.js';

const KIND_BY_STATUS = {
  pending: 'placed',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
  shipped: 'shipped',
  delivered: 'delivered',
} as const;

/** Event type names, as put in the `event-type` Kafka header and the outbox row. */
const TYPE_BY_KIND = {
  placed: 'OrderPlaced',
  confirmed: 'OrderConfirmed',
  cancelled: 'OrderCancelled',
  shipped: 'OrderShipped',
  delivered: 'OrderDelivered',
} as const;

/**
 * One OrderEvent (protobuf binary) per state change, carrying the full order snapshot and the
 * customer's contact as copied at placement, so consumers never need to call back.
 */
export const encodeOrderEvent: OrderEventEncoder = (order, change) => {
  const kind = KIND_BY_STATUS[change.to];
  const actorId = change.actor.role === 'system' ? '' : change.actor.id;
  const event: OrderEvent = create(OrderEventSchema, {
    eventId: randomUUID(),
    occurredAt: timestampFromDate(change.at),
    orderId: order.id,
    order: snapshot(order),
    kind: kindValue(kind, actorId, change.actor.role, change.reason),
  });
  // The cancellation SMS tells the customer a card payment is being refunded.
  if (event.kind.case === 'cancelled' && order.payment.state === 'refund_pending') {
    event.kind.value.refund = money(order.payment.amountPaidMinor, order.currency);
  }
  return { eventId: event.eventId, type: TYPE_BY_KIND[kind], payload: toBinary(OrderEventSchema, event) };
};

function kindValue(
  kind: (typeof KIND_BY_STATUS)[keyof typeof KIND_BY_STATUS],
  actorId: string,
  actorRole: string,
  reason: string,
): OrderEvent['kind'] {
  switch (kind) {
    case 'placed':
      return { case: kind, value: create(OrderPlacedSchema) };
    case 'confirmed':
      return { case: kind, value: create(OrderConfirmedSchema, { actorId }) };
    case 'shipped':
      return { case: kind, value: create(OrderShippedSchema, { actorId }) };
    case 'delivered':
      return { case: kind, value: create(OrderDeliveredSchema, { actorId }) };
    case 'cancelled':
      return { case: kind, value: create(OrderCancelledSchema, { reason, actorRole, actorId }) };
  }
}

function snapshot(order: Order) {
  return create(OrderSnapshotSchema, {
    id: order.id,
    number: order.number,
    customer: create(CustomerContactSchema, order.contact),
    status: statusToProto(order.status),
    lines: order.lines.map((l) => lineToProto(l, order.currency)),
    subtotal: money(order.subtotalMinor, order.currency),
    tax: money(order.taxMinor, order.currency),
    total: money(order.totalMinor, order.currency),
  });
}
