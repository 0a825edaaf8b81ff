import { openTestDatabase, type TestDatabase } from '@ordersystem/testing';
import type { NewOrder } from '../src/app/ports';
import { migrations } from '../src/db/migrations';
import { PgOrderRepository } from '../src/db/order-repository';
import { PgPaymentStore } from '../src/db/payment-store';
import { decidePayment, type PaymentUpdate } from '../src/domain/payment';
import { encodeOrderEvent } from '../src/events/order-events';
import { aNewOrder } from './contracts/order-repository.contract';

/** A card order as placement stores it: pending, payment requires_payment with its intent. */
function aCardOrder(reference: string): NewOrder {
  const n = aNewOrder({ confirmed: false });
  return {
    ...n,
    order: {
      ...n.order,
      paymentMethod: 'card',
      payment: { ...n.order.payment, state: 'requires_payment', provider: 'stripe', reference },
    },
  };
}

describe('PgPaymentStore', () => {
  let t: TestDatabase;
  let orders: PgOrderRepository;
  let store: PgPaymentStore;

  beforeAll(async () => {
    t = await openTestDatabase('orders', migrations);
    orders = new PgOrderRepository(t.db, encodeOrderEvent);
    store = new PgPaymentStore(t.db, encodeOrderEvent);
  });
  afterAll(() => t?.close());

  async function placed(reference: string) {
    const n = aCardOrder(reference);
    expect(await orders.insert(n)).toBe('inserted');
    const update: PaymentUpdate = {
      reference,
      orderId: n.order.id,
      outcome: 'succeeded',
      amountMinor: n.order.totalMinor,
      currency: n.order.currency,
      failureReason: '',
    };
    return { id: n.order.id, update };
  }
  const written = async (orderId: string) => ({
    events: (await t.db.query(`select event_type from outbox where order_id = $1 order by id`, [orderId])).map(
      (r) => r.event_type,
    ),
    tasks: (await t.db.query(`select action from catalog_tasks where order_id = $1 order by id`, [orderId])).map(
      (r) => r.action,
    ),
  });

  it('confirms a paid order once per event id, with its event and reservation commit in the same transaction', async () => {
    const { id, update } = await placed('pi_paid');
    const event = { eventId: 'evt_paid', provider: 'stripe' };
    const first = await store.apply(event, update, (o) => decidePayment(o, update), {});
    expect(first).toMatchObject({ outcome: 'applied', order: { status: 'confirmed', payment: { state: 'paid' } } });
    expect(await store.apply(event, update, (o) => decidePayment(o, update), {})).toEqual({ outcome: 'duplicate' });
    // Without an event id (reconciliation) the same news is ignored by the order's state.
    expect((await store.apply(undefined, update, (o) => decidePayment(o, update), {})).outcome).toBe('ignored');
    expect(await written(id)).toEqual({ events: ['OrderPlaced', 'OrderConfirmed'], tasks: ['commit_reservation'] });
    expect((await orders.findById(id))!.payment.amountPaidMinor).toBe(update.amountMinor);
  });

  it('refuses a success for another amount, records the event, and changes nothing else', async () => {
    const { id, update } = await placed('pi_short');
    const short = { ...update, amountMinor: 1n };
    const result = await store.apply(
      { eventId: 'evt_short', provider: 'stripe' },
      short,
      (o) => decidePayment(o, short),
      {},
    );
    expect(result).toMatchObject({ outcome: 'refused', decision: { kind: 'mismatch' } });
    expect(await orders.findById(id)).toMatchObject({ status: 'pending', payment: { state: 'requires_payment' } });
    expect(await written(id)).toEqual({ events: ['OrderPlaced'], tasks: [] });
  });

  it('cancels an unpaid order with its release, and leaves a paid one alone', async () => {
    const unpaid = await placed('pi_unpaid');
    const cancelled = await store.cancelUnpaid(unpaid.id, 'unpaid after 600 s', {});
    expect(cancelled).toMatchObject({ status: 'cancelled', payment: { state: 'canceled' } });
    expect(await store.cancelUnpaid(unpaid.id, 'again', {})).toBeUndefined();
    expect(await written(unpaid.id)).toEqual({
      events: ['OrderPlaced', 'OrderCancelled'],
      tasks: ['release_reservation'],
    });

    const paid = await placed('pi_paid_late');
    await store.apply(undefined, paid.update, (o) => decidePayment(o, paid.update), {});
    expect(await store.cancelUnpaid(paid.id, 'too late', {})).toBeUndefined();
  });

  it('moves a paid order that is cancelled to refund_pending, and records its refund once', async () => {
    const { id, update } = await placed('pi_refund');
    await store.apply(undefined, update, (o) => decidePayment(o, update), {});
    const cancelled = await orders.transition(
      { orderId: id, to: 'cancelled', actor: { id: 'admin', role: 'admin' }, reason: 'out of stock', traceHeaders: {} },
      () => 'restock_order',
    );
    expect(cancelled.payment.state).toBe('refund_pending');
    expect((await store.refundsDue(100)).map((o) => o.id)).toContain(id);
    expect(await store.recordRefund(id, 're_1', update.amountMinor)).toBe(true);
    expect(await store.recordRefund(id, 're_2', update.amountMinor)).toBe(false);
    expect((await orders.findById(id))!.payment).toMatchObject({
      state: 'refunded',
      refundReference: 're_1',
      refundedMinor: update.amountMinor,
    });
    expect((await store.refundsDue(100)).map((o) => o.id)).not.toContain(id);
  });

  it('finds payments still pending by placement or last change time', async () => {
    const { id } = await placed('pi_waiting');
    expect((await store.awaitingPayment('placed', 60_000, 100)).map((o) => o.id)).not.toContain(id);
    await t.db.query(`update orders set created_at = now() - interval '2 hours' where id = $1`, [id]);
    expect((await store.awaitingPayment('placed', 60_000, 100)).map((o) => o.id)).toContain(id);
    expect((await store.awaitingPayment('updated', 60_000, 100)).map((o) => o.id)).not.toContain(id);
  });
});
