import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import type { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { type Admission, isAdmin, requireAdmin, requireIdentity, traceHeaders } from '@ordersystem/platform';
import { changeStatus, type Caller, type ChangeStatusDeps } from '../app/change-status.js';
import { paymentClientSecret } from '../app/payment-client-secret.js';
import { type PlaceOrderDeps, placeOrder } from '../app/place-order.js';
import type { PaymentProvider } from '../app/ports.js';
import { getOrder, listOrders } from '../app/queries.js';
import type { OrderStatus } from '../domain/order-status.js';
import { statusFromProto } from '../proto-mapping/order-messages.js';
import { dateFromProto, orderToProto, placeOrderFromProto } from './mappers.js';

export type OrderServiceDeps = PlaceOrderDeps &
  ChangeStatusDeps & {
    provider?: PaymentProvider;
    /** Admission for placements (main.ts); without it every placement runs at once. */
    placing?: Admission;
  };

const callerOf = (ctx: HandlerContext): Caller => {
  const identity = requireIdentity(ctx);
  return { id: identity.customerId, admin: isAdmin(identity) };
};

/** OrderService: decodes, authorises, calls the use case, encodes. No business rule lives here. */
export function orderService(deps: OrderServiceDeps): ServiceImpl<typeof OrderService> {
  const move = async (caller: Caller, req: { id: string; reason: string }, to: OrderStatus) => ({
    order: orderToProto(await changeStatus(deps, caller, { orderId: req.id, to, reason: req.reason }, traceHeaders())),
  });
  const admin = (ctx: HandlerContext): Caller => ({ id: requireAdmin(ctx).customerId, admin: true });
  return {
    async placeOrder(req, ctx) {
      const identity = requireIdentity(ctx);
      const input = placeOrderFromProto(req);
      const place = () => placeOrder(deps, { id: identity.customerId }, input, traceHeaders());
      const order = await (deps.placing ? deps.placing.run(ctx.signal, place) : place());
      return { order: orderToProto(order), paymentClientSecret: await paymentClientSecret(deps.provider, order) };
    },
    async getOrder(req, ctx) {
      return { order: orderToProto(await getOrder(deps.orders, callerOf(ctx), req.id)) };
    },
    async listMyOrders(req, ctx) {
      const caller = callerOf(ctx);
      const page = await listOrders(
        deps.orders,
        { customerId: caller.id, status: statusFromProto(req.status) },
        { size: req.pageSize, token: req.pageToken },
      );
      return { orders: page.items.map(orderToProto), nextPageToken: page.nextCursor ?? '' };
    },
    async listOrders(req, ctx) {
      requireAdmin(ctx);
      const filter = {
        status: statusFromProto(req.status),
        customerId: req.customerId,
        createdAfter: req.createdAfter ? dateFromProto(req.createdAfter) : undefined,
        createdBefore: req.createdBefore ? dateFromProto(req.createdBefore) : undefined,
        number: req.number,
      };
      const page = await listOrders(deps.orders, filter, { size: req.pageSize, token: req.pageToken });
      return { orders: page.items.map(orderToProto), nextPageToken: page.nextCursor ?? '' };
    },
    cancelOrder: (req, ctx) => move(callerOf(ctx), req, 'cancelled'),
    confirmOrder: (req, ctx) => move(admin(ctx), req, 'confirmed'),
    shipOrder: (req, ctx) => move(admin(ctx), req, 'shipped'),
    deliverOrder: (req, ctx) => move(admin(ctx), req, 'delivered'),
  };
}
