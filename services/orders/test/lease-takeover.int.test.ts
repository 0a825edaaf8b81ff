import { type TestDatabase, openTestDatabase } from '@ordersystem/testing';
import { migrations } from '../src/db/migrations';
import { PgOrderRepository } from '../src/db/order-repository';
import { PgReservationJournal } from '../src/db/reservation-journal';
import { aNewOrder, contractEncoder } from './contracts/order-repository.contract';

/**
 * The oversell the chaos suite found: a placement slower than its reservation lease must not store
 * its order once recovery has taken the lease over (and may have released the stock).
 */
describe('a placement that outlived its reservation lease', () => {
  let testDb: TestDatabase;
  let journal: PgReservationJournal;
  let orders: PgOrderRepository;
  const count = async (table: string, orderId: string) =>
    Number(
      (await testDb.db.query<{ n: string }>(`select count(*) as n from ${table} where order_id = $1`, [orderId]))[0]!.n,
    );

  beforeAll(async () => {
    testDb = await openTestDatabase('orders', migrations);
    journal = new PgReservationJournal(testDb.db);
    orders = new PgOrderRepository(testDb.db, contractEncoder);
  });
  afterAll(() => testDb?.close());

  it('is refused as unavailable once recovery claimed the lease, and writes nothing', async () => {
    const placement = aNewOrder();
    const token = await journal.acquire(placement.order.id, placement.order.customerId, 1);
    expect(token).toBeDefined();
    await new Promise((r) => setTimeout(r, 20));
    expect((await journal.claimAbandoned(60_000, 100)).map((c) => c.orderId)).toContain(placement.order.id);

    await expect(orders.insert({ ...placement, leaseToken: token })).rejects.toMatchObject({ kind: 'unavailable' });
    expect(await orders.findById(placement.order.id)).toBeUndefined();
    expect(await count('outbox', placement.order.id)).toBe(0);
    // Recovery still owns the entry, so it releases the stock and clears it as usual.
    expect(await count('pending_reservations', placement.order.id)).toBe(1);
  });

  it('lets only the current holder extend or clear the lease: a taken-over placement settles nothing', async () => {
    const placement = aNewOrder();
    const { id, customerId } = placement.order;
    const first = (await journal.acquire(id, customerId, 1))!;
    await new Promise((r) => setTimeout(r, 20));
    // A retry with the same key takes the expired lease over.
    const retry = (await journal.acquire(id, customerId, 60_000))!;
    expect(retry).not.toBe(first);
    expect(await journal.extend(id, first, 60_000)).toBeUndefined();
    await journal.clear(id, first);
    expect(await count('pending_reservations', id)).toBe(1);
    // The holder's own token renews it (a new token), and only that one clears it.
    const renewed = (await journal.extend(id, retry, 60_000))!;
    expect(renewed).toBeDefined();
    await journal.clear(id, retry);
    expect(await count('pending_reservations', id)).toBe(1);
    await journal.clear(id, renewed);
    expect(await count('pending_reservations', id)).toBe(0);
  });

  it('stores the order and drops the entry while the lease is still its own', async () => {
    const placement = aNewOrder();
    const token = await journal.acquire(placement.order.id, placement.order.customerId, 60_000);
    expect(await orders.insert({ ...placement, leaseToken: token })).toBe('inserted');
    expect(await count('pending_reservations', placement.order.id)).toBe(0);
  });

  it('still stores an order whose lease ran out when nobody took it over', async () => {
    const placement = aNewOrder();
    const token = await journal.acquire(placement.order.id, placement.order.customerId, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await orders.insert({ ...placement, leaseToken: token })).toBe('inserted');
    expect(await count('pending_reservations', placement.order.id)).toBe(0);
  });
});
