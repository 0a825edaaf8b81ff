import { create } from '@bufbuild/protobuf';
import { type Money, MoneySchema } from '@ordersystem/contracts/ordersystem/common/v1/money';
import {
  OrderLineSchema,
  type OrderLine as OrderLineMessage,
  OrderStatus as StatusEnum,
} from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import type { OrderLine } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-status.js';

/**
 * Domain → `ordersystem.orders.v1` messages that both the API (rpc/) and the Kafka events
 * (events/) carry: status, money and order lines. It lives apart from both so that neither
 * adapter reaches into the other, and an order line looks the same in a response and an event.
 */
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

export const money = (amountMinor: bigint, currencyCode: string): Money =>
  create(MoneySchema, { amountMinor, currencyCode });

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
