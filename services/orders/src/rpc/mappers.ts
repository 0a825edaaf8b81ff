import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type Money, MoneySchema } from '@ordersystem/contracts/ordersystem/common/v1/money';
import {
  type Address as AddressMessage,
  AddressSchema,
  type Order as OrderMessage,
  OrderLineSchema,
  type OrderLine as OrderLineMessage,
  OrderSchema,
  OrderStatus as StatusEnum,
  PaymentMethod as PaymentEnum,
  StatusChangeSchema,
} from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import type { Address, Order, OrderLine } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-status.js';
import type { PlaceOrderInput } from '../domain/place-order-input.js';
import type { PlaceOrderRequest } from '@ordersystem/contracts/ordersystem/orders/v1/orders';

/** The only place proto and domain types meet (the event encoder reuses these too). */
const STATUS_TO_ENUM: Record<OrderStatus, StatusEnum> = {
  pending: StatusEnum.PENDING,
  confirmed: StatusEnum.CONFIRMED,
  shipped: StatusEnum.SHIPPED,
  delivered: StatusEnum.DELIVERED,
  cancelled: StatusEnum.CANCELLED,
};

export const statusToProto = (status: OrderStatus): StatusEnum => STATUS_TO_ENUM[status];

/** undefined for UNSPECIFIED (= no filter) and for values this version does not know. */
export function statusFromProto(value: StatusEnum | undefined): OrderStatus | undefined {
  return (Object.entries(STATUS_TO_ENUM) as [OrderStatus, StatusEnum][]).find(([, e]) => e === value)?.[0];
}

export const money = (amountMinor: bigint, currencyCode: string): Money => create(MoneySchema, { amountMinor, currencyCode });

export function lineToProto(line: OrderLine, currency: string): OrderLineMessage {
  return create(OrderLineSchema, {
    productId: line.productId,
    sku: line.sku,
    name: line.name,
    taxClass: line.taxClass,
    quantity: line.quantity,
    unitPrice: money(line.unitPriceMinor, currency),
    lineSubtotal: money(line.lineSubtotalMinor, currency),
    lineTax: money(line.lineTaxMinor, currency),
    lineTotal: money(line.lineTotalMinor, currency),
  });
}

export function orderToProto(order: Order): OrderMessage {
  return create(OrderSchema, {
    id: order.id,
    number: order.number,
    customerId: order.customerId,
    status: statusToProto(order.status),
    paymentMethod: PaymentEnum.PAY_ON_DELIVERY,
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
  });
}

function addressFromProto(a: AddressMessage | undefined): Address | undefined {
  if (!a) return undefined;
  const { recipientName, line1, line2, city, region, postalCode, countryCode, phoneNumber } = a;
  return { recipientName, line1, line2, city, region, postalCode, countryCode, phoneNumber };
}

/** Decodes a PlaceOrder request; validation happens in the domain. Unknown payment methods are refused there. */
export function placeOrderFromProto(req: PlaceOrderRequest): PlaceOrderInput {
  return {
    lines: req.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    deliveryAddress: addressFromProto(req.deliveryAddress),
    note: req.note,
    idempotencyKey: req.idempotencyKey,
    paymentMethod: 'pay_on_delivery',
  };
}

export const dateFromProto = timestampDate;
