import { randomUUID } from 'node:crypto';
import { AppError, failedPrecondition } from '@ordersystem/platform/errors';
import type { NewOrder, OrderEventEncoder, OrderRepository } from '../../src/app/ports';
import type { CatalogAction } from '../../src/domain/order-status';
import { ON_DELIVERY } from '../../src/domain/payment';
import { ADDRESS } from '../address';

/** One implementation of the OrderRepository port, plus a look at what it wrote beside the order. */
export interface OrderRepositorySubject {
  orders: OrderRepository;
  /** The event types (outbox) and catalog follow-ups stored with an order, oldest first. */
  written(orderId: string): Promise<{ events: string[]; tasks: CatalogAction[] }>;
}

/** Names each event after the status its snapshot carries and who made the change. */
export const contractEncoder: OrderEventEncoder = (order, change) => ({
  eventId: randomUUID(),
  type: `${order.status} by ${change.actor.role}`,
  payload: new Uint8Array([1, 2, 3]),
});

const line = (productId: string, quantity: bigint, unitPriceMinor: bigint) => {
  const lineSubtotalMinor = quantity * unitPriceMinor;
  const lineTaxMinor = (lineSubtotalMinor * 16n) / 100n;
  return {
    productId,
    sku: `SKU-${productId.slice(0, 4)}`,
    name: 'Kettle',
    taxClass: 'standard',
    taxRateBp: 1600,
    quantity,
    unitPriceMinor,
    lineSubtotalMinor,
    lineTaxMinor,
    lineTotalMinor: lineSubtotalMinor + lineTaxMinor,
  };
};

/** A new order as placeOrder hands it over: placed by the customer and (by default) confirmed by the system. */
export function aNewOrder(over: { customerId?: string; confirmed?: boolean; requestHash?: string } = {}): NewOrder {
  const customerId = over.customerId ?? randomUUID();
  const lines = [line(randomUUID(), 2n, 1_000n), line(randomUUID(), 1n, 250n)];
  const sum = (pick: (l: (typeof lines)[number]) => bigint) => lines.reduce((total, l) => total + pick(l), 0n);
  const customer = { id: customerId, role: 'customer' as const };
  const confirmed = over.confirmed ?? true;
  return {
    order: {
      id: randomUUID(),
      customerId,
      paymentMethod: 'pay_on_delivery',
      currency: 'KES',
      lines,
      subtotalMinor: sum((l) => l.lineSubtotalMinor),
      taxMinor: sum((l) => l.lineTaxMinor),
      totalMinor: sum((l) => l.lineTotalMinor),
      deliveryAddress: { ...ADDRESS },
      note: 'ring twice',
      contact: { customerId, name: 'Wanjiru Kamau', email: 'w@example.test', phoneNumber: '+254712345678' },
      payment: ON_DELIVERY,
    },
    idempotencyKey: randomUUID(),
    requestHash: over.requestHash ?? randomUUID(),
    changes: [
      { from: null, to: 'pending', actor: customer, reason: 'order placed' },
      ...(confirmed
        ? [
            {
              from: 'pending' as const,
              to: 'confirmed' as const,
              actor: { id: '', role: 'system' as const },
              reason: 'cod',
            },
          ]
        : []),
    ],
    catalogTasks: confirmed ? ['commit_reservation'] : [],
    traceHeaders: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  };
}

const ADMIN = { id: randomUUID(), role: 'admin' as const };

/**
 * The behaviour every OrderRepository must show (PgOrderRepository and the in-memory fake the
 * fast tests use), so the fake cannot drift from the real thing. `subject` gets the encoder the
 * repository must use; tests only touch orders they created, so one store may serve them all.
 */
export function orderRepositoryContract(subject: (encode: OrderEventEncoder) => Promise<OrderRepositorySubject>): void {
  let s: OrderRepositorySubject;
  beforeAll(async () => {
    s = await subject(contractEncoder);
  });

  it('stores an order with its lines, history, events and follow-ups together', async () => {
    const n = aNewOrder();
    expect(await s.orders.insert(n)).toBe('inserted');
    const order = (await s.orders.findById(n.order.id))!;
    expect(order.number).toMatch(/^ORD-\d{6,}$/);
    expect(order).toMatchObject({ ...n.order, status: 'confirmed', version: 1 });
    expect(order.createdAt).toBeInstanceOf(Date);
    expect(order.history.map((h) => [h.from, h.to, h.actorId, h.actorRole, h.reason])).toEqual([
      [null, 'pending', n.order.customerId, 'customer', 'order placed'],
      ['pending', 'confirmed', '', 'system', 'cod'],
    ]);
    expect(await s.written(n.order.id)).toEqual({
      events: ['pending by customer', 'confirmed by system'],
      tasks: ['commit_reservation'],
    });
  });

  it('finds nothing for an unknown id', async () => {
    expect(await s.orders.findById(randomUUID())).toBeUndefined();
    expect(await s.orders.findRequestHash(randomUUID())).toBeUndefined();
  });

  it('answers a second insert of the same order as a duplicate and keeps the first', async () => {
    const n = aNewOrder({ requestHash: 'first' });
    await s.orders.insert(n);
    expect(
      await s.orders.insert({ ...n, requestHash: 'second', changes: n.changes.slice(0, 1), catalogTasks: [] }),
    ).toBe('duplicate');
    expect(await s.orders.findRequestHash(n.order.id)).toBe('first');
    expect((await s.orders.findById(n.order.id))!.status).toBe('confirmed');
    expect((await s.written(n.order.id)).events).toHaveLength(2);
  });

  it('moves an order with a history row, a new version, its event and its follow-up', async () => {
    const n = aNewOrder();
    await s.orders.insert(n);
    const seen: string[] = [];
    const moved = await s.orders.transition(
      { orderId: n.order.id, to: 'cancelled', actor: ADMIN, reason: 'out of stock', traceHeaders: {} },
      (current) => (seen.push(current.status), 'restock_order'),
    );
    expect(seen).toEqual(['confirmed']);
    expect(moved).toMatchObject({ status: 'cancelled', version: 2 });
    expect(moved.history.at(-1)).toMatchObject({
      from: 'confirmed',
      to: 'cancelled',
      actorId: ADMIN.id,
      actorRole: 'admin',
      reason: 'out of stock',
    });
    expect(await s.orders.findById(n.order.id)).toEqual(moved);
    expect(await s.written(n.order.id)).toEqual({
      events: ['pending by customer', 'confirmed by system', 'cancelled by admin'],
      tasks: ['commit_reservation', 'restock_order'],
    });
  });

  it('writes nothing when the plan refuses the move', async () => {
    const n = aNewOrder({ confirmed: false });
    await s.orders.insert(n);
    const before = await s.orders.findById(n.order.id);
    const refusal = failedPrecondition('illegal status transition pending -> shipped');
    await expect(
      s.orders.transition({ orderId: n.order.id, to: 'shipped', actor: ADMIN, reason: '', traceHeaders: {} }, () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(await s.orders.findById(n.order.id)).toEqual(before);
    expect(await s.written(n.order.id)).toEqual({ events: ['pending by customer'], tasks: [] });
  });

  it("treats another customer's order like a missing one when the move is scoped to an owner", async () => {
    const n = aNewOrder();
    await s.orders.insert(n);
    const cancel = (orderId: string, ownerId: string) =>
      s.orders.transition(
        { orderId, to: 'cancelled', actor: { id: ownerId, role: 'customer' }, reason: '', ownerId, traceHeaders: {} },
        () => undefined,
      );
    await expect(cancel(n.order.id, randomUUID())).rejects.toMatchObject({ kind: 'not_found' });
    await expect(cancel(randomUUID(), n.order.customerId)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await s.orders.findById(n.order.id))!.status).toBe('confirmed');
  });

  it('lists newest first in pages that cover every order once', async () => {
    const customerId = randomUUID();
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const n = aNewOrder({ customerId });
      await s.orders.insert(n);
      placed.push(n.order.id);
    }
    await s.orders.insert(aNewOrder()); // someone else's
    const first = await s.orders.list({ customerId }, 2, undefined);
    expect(first.items.map((o) => o.id)).toEqual([placed[2], placed[1]]);
    expect(first.items[0]!.lines).toHaveLength(2);
    const second = await s.orders.list({ customerId }, 2, first.nextCursor);
    expect(second.items.map((o) => o.id)).toEqual([placed[0]]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('filters by status and by creation time (after inclusive, before exclusive)', async () => {
    const customerId = randomUUID();
    const start = new Date(Date.now() - 60_000);
    const [kept, cancelled] = [aNewOrder({ customerId }), aNewOrder({ customerId })];
    await s.orders.insert(kept);
    await s.orders.insert(cancelled);
    await s.orders.transition(
      { orderId: cancelled.order.id, to: 'cancelled', actor: ADMIN, reason: '', traceHeaders: {} },
      () => undefined,
    );
    const ids = async (filter: Parameters<OrderRepository['list']>[0]) =>
      (await s.orders.list({ customerId, ...filter }, 10, undefined)).items.map((o) => o.id);
    expect(await ids({ status: 'cancelled' })).toEqual([cancelled.order.id]);
    expect(await ids({ status: 'confirmed' })).toEqual([kept.order.id]);
    expect(await ids({ createdAfter: start, createdBefore: new Date(Date.now() + 60_000) })).toHaveLength(2);
    expect(await ids({ createdBefore: start })).toEqual([]);
    expect(await ids({ createdAfter: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('finds an order by its number, written in any case and with or without leading zeros', async () => {
    const customerId = randomUUID();
    const [wanted, other] = [aNewOrder({ customerId }), aNewOrder({ customerId })];
    await s.orders.insert(wanted);
    await s.orders.insert(other);
    const { number } = (await s.orders.findById(wanted.order.id))!;
    const ids = async (n: string) => (await s.orders.list({ number: n }, 10, undefined)).items.map((o) => o.id);
    expect(await ids(number)).toEqual([wanted.order.id]);
    expect(await ids(number.toLowerCase().replace(/-0+/, '-'))).toEqual([wanted.order.id]);
  });

  it('refuses a page token it did not issue, naming page_token', async () => {
    const err: unknown = await s.orders.list({}, 10, 'not-a-token!').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'invalid_argument', violations: [{ field: 'page_token' }] });
  });
}
