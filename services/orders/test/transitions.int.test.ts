import { Code, ConnectError } from '@connectrpc/connect';
import { OrderStatus } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { collectEvents } from './kafka-events';
import {
  ADMIN,
  aCustomer,
  anOrderRequest,
  aProduct,
  as,
  eventually,
  startOrders,
  startUpstreams,
  stockOf,
  type Upstreams,
} from './fixtures';

// testTimeout is not applied per project by jest, so it is set here (three real processes start per file).
jest.setTimeout(90_000);

const S = OrderStatus;

describe('order status workflow (orders wait for an admin to confirm)', () => {
  let up: Upstreams;
  let orders: Awaited<ReturnType<typeof startOrders>>;
  let kafka: Awaited<ReturnType<typeof collectEvents>>;

  beforeAll(async () => {
    up = await startUpstreams();
    orders = await startOrders(up, { PAY_ON_DELIVERY_CONFIRMS: 'false' });
    kafka = await collectEvents(up.infra.kafkaBrokers, orders.topic);
  });
  afterAll(async () => {
    await kafka?.stop();
    await orders?.stop();
    await up?.stop();
  });

  /** A pending order of `quantity` units of a fresh product with 10 in stock. */
  async function aPendingOrder(quantity = 2n) {
    const customer = await aCustomer(up);
    const product = await aProduct(up, { stock: 10n });
    const { order } = await orders.client.placeOrder(
      anOrderRequest([{ productId: product.id, quantity }]),
      as(customer),
    );
    expect(order!.status).toBe(S.PENDING);
    return { customer, product, order: order! };
  }

  const admin = {
    confirm: (id: string, reason = '') => orders.client.confirmOrder({ id, reason }, as(ADMIN)),
    ship: (id: string, reason = '') => orders.client.shipOrder({ id, reason }, as(ADMIN)),
    deliver: (id: string, reason = '') => orders.client.deliverOrder({ id, reason }, as(ADMIN)),
    cancel: (id: string, reason = '') => orders.client.cancelOrder({ id, reason }, as(ADMIN)),
  };

  async function expectRefused(call: Promise<unknown>, code: Code, message?: string) {
    const err = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(code);
    if (message) expect((err as ConnectError).rawMessage).toBe(message);
  }

  it('walks pending → confirmed → shipped → delivered, recording who, when and why, one event per change', async () => {
    const { product, order } = await aPendingOrder(2n);
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 10n, available: 8n }));
    await admin.confirm(order.id, 'phoned the customer');
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 8n, available: 8n }));
    await admin.ship(order.id, 'G4S waybill 123');
    const { order: done } = await admin.deliver(order.id);
    expect(done!.status).toBe(S.DELIVERED);
    expect(done!.history.map((h) => [h.from, h.to, h.actorId, h.actorRole, h.reason])).toEqual([
      [S.UNSPECIFIED, S.PENDING, order.customerId, 'customer', 'order placed'],
      [S.PENDING, S.CONFIRMED, ADMIN.id, 'admin', 'phoned the customer'],
      [S.CONFIRMED, S.SHIPPED, ADMIN.id, 'admin', 'G4S waybill 123'],
      [S.SHIPPED, S.DELIVERED, ADMIN.id, 'admin', ''],
    ]);
    expect(done!.history.every((h) => h.changedAt !== undefined)).toBe(true);
    const events = await eventually(async () => {
      const mine = kafka.of(order.id);
      expect(mine).toHaveLength(4);
      return mine;
    });
    expect(events.map((e) => e.event.kind.case)).toEqual(['placed', 'confirmed', 'shipped', 'delivered']);
    expect(events.map((e) => e.event.order!.status)).toEqual([S.PENDING, S.CONFIRMED, S.SHIPPED, S.DELIVERED]);
    const placed = events[0]!.event;
    expect(placed.order!.customer).toMatchObject({
      customerId: order.customerId,
      name: 'Wanjiru Kamau',
      phoneNumber: '+254712345678',
    });
    expect(placed.order!.total!.amountMinor).toBe(order.total!.amountMinor);
    expect(new Set(events.map((e) => e.event.eventId)).size).toBe(4);
    expect(events[1]!.event.kind).toMatchObject({ case: 'confirmed', value: { actorId: ADMIN.id } });
  });

  it('refuses every illegal transition with failed_precondition naming it', async () => {
    const { order } = await aPendingOrder();
    await expectRefused(admin.ship(order.id), Code.FailedPrecondition, 'illegal status transition pending -> shipped');
    await expectRefused(
      admin.deliver(order.id),
      Code.FailedPrecondition,
      'illegal status transition pending -> delivered',
    );
    await admin.confirm(order.id);
    await expectRefused(
      admin.confirm(order.id),
      Code.FailedPrecondition,
      'illegal status transition confirmed -> confirmed',
    );
    await expectRefused(
      admin.deliver(order.id),
      Code.FailedPrecondition,
      'illegal status transition confirmed -> delivered',
    );
    await admin.ship(order.id);
    await expectRefused(
      admin.cancel(order.id),
      Code.FailedPrecondition,
      'illegal status transition shipped -> cancelled',
    );
    await expectRefused(
      admin.confirm(order.id),
      Code.FailedPrecondition,
      'illegal status transition shipped -> confirmed',
    );
    await expectRefused(admin.ship(order.id), Code.FailedPrecondition, 'illegal status transition shipped -> shipped');
    await admin.deliver(order.id);
    for (const move of [admin.confirm, admin.ship, admin.deliver, admin.cancel]) {
      await expectRefused(move(order.id), Code.FailedPrecondition);
    }
    const { order: cancelled } = await aPendingOrder();
    await admin.cancel(cancelled.id);
    for (const move of [admin.confirm, admin.ship, admin.deliver, admin.cancel]) {
      await expectRefused(move(cancelled.id), Code.FailedPrecondition);
    }
    const after = await orders.client.getOrder({ id: order.id }, as(ADMIN));
    expect(after.order!.history).toHaveLength(4);
  });

  it('lets a customer cancel their own pending order, releasing the reservation', async () => {
    const { customer, product, order } = await aPendingOrder(3n);
    const { order: cancelled } = await orders.client.cancelOrder(
      { id: order.id, reason: 'found it cheaper' },
      as(customer),
    );
    expect(cancelled!.status).toBe(S.CANCELLED);
    expect(cancelled!.history.at(-1)).toMatchObject({
      from: S.PENDING,
      to: S.CANCELLED,
      actorId: customer.id,
      actorRole: 'customer',
      reason: 'found it cheaper',
    });
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 10n, available: 10n }));
    const events = await eventually(async () => {
      const mine = kafka.of(order.id);
      expect(mine).toHaveLength(2);
      return mine;
    });
    expect(events[1]!.event.kind).toMatchObject({
      case: 'cancelled',
      value: { reason: 'found it cheaper', actorRole: 'customer', actorId: customer.id },
    });
  });

  it('lets a customer cancel their own confirmed order, restocking the committed units', async () => {
    const { customer, product, order } = await aPendingOrder(4n);
    await admin.confirm(order.id);
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 6n, available: 6n }));
    await orders.client.cancelOrder({ id: order.id }, as(customer));
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 10n, available: 10n }));
  });

  it("hides another customer's order and keeps admin moves for admins", async () => {
    const { order } = await aPendingOrder();
    const stranger = await aCustomer(up);
    await expectRefused(orders.client.cancelOrder({ id: order.id }, as(stranger)), Code.NotFound);
    await expectRefused(
      orders.client.confirmOrder({ id: order.id, reason: '' }, as({ id: order.customerId })),
      Code.PermissionDenied,
    );
    await expectRefused(orders.client.shipOrder({ id: order.id, reason: '' }, as(stranger)), Code.PermissionDenied);
    const { order: still } = await orders.client.getOrder({ id: order.id }, as(ADMIN));
    expect(still!.status).toBe(S.PENDING);
    expect(still!.history).toHaveLength(1);
  });
});
