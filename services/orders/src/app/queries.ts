import { invalidField, notFound } from '@ordersystem/platform/errors';
import { type Order, parseOrderNumber } from '../domain/order.js';
import { isUuid } from '../domain/place-order-input.js';
import type { Caller } from './change-status.js';
import type { OrderFilter, OrderRepository, Page } from './ports.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** One order for its owner or an admin; anyone else gets not_found, exactly as for a missing id. */
export async function getOrder(orders: OrderRepository, caller: Caller, id: string): Promise<Order> {
  const order = isUuid(id) ? await orders.findById(id) : undefined;
  if (!order || (!caller.admin && order.customerId !== caller.id)) throw notFound('order');
  return order;
}

/** A page of orders, newest first; `filter.customerId` is forced to the caller for ListMyOrders. */
export async function listOrders(
  orders: OrderRepository,
  filter: OrderFilter,
  page: { size: number; token: string },
): Promise<Page<Order>> {
  if (page.size > MAX_PAGE_SIZE) throw invalidField('page_size', `must be at most ${MAX_PAGE_SIZE}`);
  if (filter.customerId !== undefined && !isUuid(filter.customerId))
    throw invalidField('customer_id', 'must be a UUID');
  if (filter.createdAfter && filter.createdBefore && filter.createdAfter >= filter.createdBefore) {
    throw invalidField('created_before', 'must be later than created_after');
  }
  if (filter.number !== undefined && parseOrderNumber(filter.number) === undefined)
    throw invalidField('number', 'must be an order number such as ORD-000123');
  return orders.list(
    filter,
    page.size === 0 ? DEFAULT_PAGE_SIZE : page.size,
    page.token === '' ? undefined : page.token,
  );
}
