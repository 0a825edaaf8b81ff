import { invalidField, notFound, permissionDenied } from '@ordersystem/platform/errors';
import type { Order } from '../domain/order.js';
import { assertTransition, catalogActionFor, type OrderStatus, roleMayRequest } from '../domain/order-status.js';
import { assertPaidBeforeConfirm } from '../domain/payment.js';
import { isUuid, MAX_NOTE_LENGTH } from '../domain/place-order-input.js';
import type { CatalogTaskRunner, OrderMetrics, OrderRepository } from './ports.js';

export interface ChangeStatusDeps {
  orders: OrderRepository;
  tasks: CatalogTaskRunner;
  metrics?: OrderMetrics;
  /** After a committed cancel: refund a paid order, call off an unpaid payment; the order as it now is. */
  paymentFollowUp?: (order: Order) => Promise<Order | undefined>;
}

/** The caller as the use cases need it: admins act on any order, customers on their own. */
export interface Caller {
  id: string;
  admin: boolean;
}

/**
 * Moves an order to `to` on behalf of `caller`. Customers may only cancel their own orders
 * (another customer's order is not_found, never a hint that it exists); admins may confirm,
 * ship, deliver or cancel any. The transition is checked under a row lock, and the status,
 * history row, event and catalog follow-up commit together; the catalog is called afterwards.
 */
export async function changeStatus(
  deps: ChangeStatusDeps,
  caller: Caller,
  request: { orderId: string; to: OrderStatus; reason: string },
  traceHeaders: Record<string, string>,
): Promise<Order> {
  if (!isUuid(request.orderId)) throw notFound('order');
  if ([...request.reason].length > MAX_NOTE_LENGTH)
    throw invalidField('reason', `must be at most ${MAX_NOTE_LENGTH} characters`);
  const role = caller.admin ? 'admin' : 'customer';
  if (!roleMayRequest(role, request.to)) throw permissionDenied(`a ${role} may not move an order to ${request.to}`);
  const order = await deps.orders.transition(
    {
      orderId: request.orderId,
      to: request.to,
      actor: { id: caller.id, role },
      reason: request.reason,
      ownerId: caller.admin ? undefined : caller.id,
      traceHeaders,
    },
    (current) => {
      assertTransition(current.status, request.to);
      assertPaidBeforeConfirm(current.payment.state, request.to);
      return catalogActionFor(current.status, request.to);
    },
  );
  deps.metrics?.statusChanged(request.to);
  await deps.tasks.runForOrder(order.id);
  if (request.to === 'cancelled' && deps.paymentFollowUp) return (await deps.paymentFollowUp(order)) ?? order;
  return order;
}
