import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  type Address as AddressMessage,
  AddressSchema,
  type Order as OrderMessage,
  OrderSchema,
  OrderStatus as StatusEnum,
  type PlaceOrderRequest,
  StatusChangeSchema,
} from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import type { Address, Order } from '../domain/order.js';
import type { PlaceOrderInput } from '../domain/place-order-input.js';
import { lineToProto, money, statusToProto } from '../proto-mapping/order-messages.js';
import { paymentMethodFromProto, paymentMethodToProto, paymentToProto } from './payment-mappers.js';

/** The API's order message (the event snapshot is built by events/order-events.ts). */
export function orderToProto(order: Order): OrderMessage {
  return create(OrderSchema, {
    id: order.id,
    number: order.number,
    customerId: order.customerId,
    status: statusToProto(order.status),
    paymentMethod: paymentMethodToProto(order.paymentMethod),
    lines: order.lines.map((l) => lineToProto(l, order.currency)),
    subtotal: money(order.subtotalMinor, order.currency),
    tax: money(order.taxMinor, order.currency),
    total: money(order.totalMinor, order.currency),
    deliveryAddress: create(AddressSchema, order.deliveryAddress),
    note: order.note,
    history: order.history.map((h) =>
      create(StatusChangeSchema, {
        from: h.from ? statusToProto(h.from) : StatusEnum.UNSPECIFIED,
        to: statusToProto(h.to),
        actorId: h.actorId,
        actorRole: h.actorRole,
        reason: h.reason,
        changedAt: timestampFromDate(h.changedAt),
      }),
    ),
    createdAt: timestampFromDate(order.createdAt),
    updatedAt: timestampFromDate(order.updatedAt),
    payment: paymentToProto(order.payment, order.currency),
  });
}

function addressFromProto(a: AddressMessage | undefined): Address | undefined {
  if (!a) return undefined;
  const { recipientName, line1, line2, city, region, postalCode, countryCode, phoneNumber } = a;
  return { recipientName, line1, line2, city, region, postalCode, countryCode, phoneNumber };
}

/** Decodes a PlaceOrder request; validation happens in the domain. */
export function placeOrderFromProto(req: PlaceOrderRequest): PlaceOrderInput {
  return {
    lines: req.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    deliveryAddress: addressFromProto(req.deliveryAddress),
    note: req.note,
    idempotencyKey: req.idempotencyKey,
    paymentMethod: paymentMethodFromProto(req.paymentMethod),
  };
}

export const dateFromProto = timestampDate;
