import type { Logger } from '@ordersystem/platform';
import { AppError, failedPrecondition, unavailable } from '@ordersystem/platform/errors';
import type { Order, PricedItem } from '../domain/order.js';
import { ON_DELIVERY } from '../domain/payment.js';
import type { PlaceOrderInput } from '../domain/place-order-input.js';
import { placeOrder, type PlaceOrderDeps } from './place-order.js';
import type { NewOrder } from './ports.js';
import { ADDRESS } from '../../test/address.js';

const PRODUCT = '00000000-0000-4000-8000-000000000001';
const CUSTOMER = { id: '00000000-0000-4000-8000-00000000c001' };
const input = (over: Partial<PlaceOrderInput> = {}): PlaceOrderInput => ({
  lines: [{ productId: PRODUCT, quantity: 2n }],
  deliveryAddress: ADDRESS,
  note: '',
  idempotencyKey: 'k1',
  paymentMethod: 'pay_on_delivery',
  ...over,
});
const item: PricedItem = {
  productId: PRODUCT,
  sku: 'S',
  name: 'N',
  taxClass: 'standard',
  quantity: 2n,
  unitPriceMinor: 1_000n,
  currency: 'KES',
};

/** In-memory adapters that record every call, so each test can assert what reached the catalog. */
function fakes(settled = true) {
  const calls: string[] = [];
  const stored = new Map<string, NewOrder>();
  const deps: PlaceOrderDeps = {
    orders: {
      findById: async (id) => (stored.has(id) ? ({ id, status: 'confirmed' } as Order) : undefined),
      findRequestHash: async (id) => stored.get(id)?.requestHash,
      insert: async (n) => (calls.push('insert'), stored.set(n.order.id, n), 'inserted'),
      transition: () => Promise.reject(new Error('unused')),
      list: () => Promise.reject(new Error('unused')),
    },
    inventory: {
      reserve: async () => (calls.push('reserve'), [item]),
      release: async () => void calls.push('release'),
      commit: async () => void calls.push('commit'),
      restock: async () => void calls.push('restock'),
    },
    contacts: { getContact: async (customerId) => ({ customerId, name: 'N', email: 'e@x', phoneNumber: '' }) },
    journal: {
      acquire: async () => (calls.push('journal+'), 'lease-1'),
      extend: async (_id, token) => `${token}+`,
      clear: async () => void calls.push('journal-'),
      claimAbandoned: async () => [],
    },
    tasks: { runForOrder: async () => void calls.push('tasks') },
    payments: new Map([
      [
        'pay_on_delivery',
        { name: 'pay_on_delivery', begin: async () => ({ settled, note: 'cod', payment: ON_DELIVERY }) },
      ],
    ]),
    taxTable: { standard: 1600 },
    currency: 'KES',
    limits: { maxLines: 50 },
    leaseMs: 30_000,
    logger: { warn: () => undefined } as unknown as Logger,
  };
  return { deps, calls, stored };
}

describe('placeOrder', () => {
  it('stores pending → confirmed with a commit task when payment settles at placement, then runs the task', async () => {
    const { deps, calls, stored } = fakes(true);
    await placeOrder(deps, CUSTOMER, input(), {});
    const n = [...stored.values()][0]!;
    expect(n.changes.map((c) => [c.from, c.to, c.actor.role])).toEqual([
      [null, 'pending', 'customer'],
      ['pending', 'confirmed', 'system'],
    ]);
    expect(n.catalogTasks).toEqual(['commit_reservation']);
    expect(n.order.totalMinor).toBe(2_320n);
    expect(calls).toEqual(['journal+', 'reserve', 'insert', 'tasks']);
  });

  it('leaves the order pending without a commit when payment is still open', async () => {
    const { deps, stored } = fakes(false);
    await placeOrder(deps, CUSTOMER, input(), {});
    const n = [...stored.values()][0]!;
    expect(n.changes.map((c) => c.to)).toEqual(['pending']);
    expect(n.catalogTasks).toEqual([]);
  });

  it('returns the stored order for a retry without touching the catalog again', async () => {
    const { deps, calls } = fakes();
    const first = await placeOrder(deps, CUSTOMER, input(), {});
    calls.length = 0;
    const again = await placeOrder(deps, CUSTOMER, input(), {});
    expect(again.id).toBe(first.id);
    expect(calls).toEqual([]);
    await expect(placeOrder(deps, CUSTOMER, input({ note: 'different' }), {})).rejects.toMatchObject({
      kind: 'already_exists',
    });
  });

  it('counts a placement once, with each status it committed, and not its retries', async () => {
    const { deps } = fakes(true);
    const counted: string[] = [];
    const metrics = {
      placed: (total: bigint, currency: string) => void counted.push(`placed ${total} ${currency}`),
      statusChanged: (to: string) => void counted.push(to),
      followUpFailed: () => undefined,
    };
    await placeOrder({ ...deps, metrics }, CUSTOMER, input(), {});
    await placeOrder({ ...deps, metrics }, CUSTOMER, input(), {});
    expect(counted).toEqual(['placed 2320 KES', 'pending', 'confirmed']);
  });

  it('does not release when the catalog refused (nothing was reserved)', async () => {
    const { deps, calls } = fakes();
    deps.inventory.reserve = async () =>
      Promise.reject(failedPrecondition('insufficient stock', 'lines[0].product_id'));
    await expect(placeOrder(deps, CUSTOMER, input(), {})).rejects.toMatchObject({ kind: 'failed_precondition' });
    expect(calls).toEqual(['journal+', 'journal-']);
  });

  it('releases when the catalog may have reserved (timeout) or the store failed after reserving', async () => {
    const timeout = fakes();
    timeout.deps.inventory.reserve = async () => Promise.reject(unavailable('catalog did not answer in time'));
    await expect(placeOrder(timeout.deps, CUSTOMER, input(), {})).rejects.toMatchObject({ kind: 'unavailable' });
    expect(timeout.calls).toEqual(['journal+', 'release', 'journal-']);

    const dbDown = fakes();
    dbDown.deps.orders.insert = async () => Promise.reject(new Error('connection reset'));
    await expect(placeOrder(dbDown.deps, CUSTOMER, input(), {})).rejects.toThrow('connection reset');
    expect(dbDown.calls).toEqual(['journal+', 'reserve', 'release', 'journal-']);
  });

  it('refuses an order whose amounts would overflow, naming the line, releases the stock and writes nothing', async () => {
    const { deps, calls, stored } = fakes();
    deps.inventory.reserve = async () => (
      calls.push('reserve'),
      [{ ...item, unitPriceMinor: 1_000_000_000_000_000n, quantity: 10_000n }]
    );
    await expect(
      placeOrder(deps, CUSTOMER, input({ lines: [{ productId: PRODUCT, quantity: 10_000n }] }), {}),
    ).rejects.toMatchObject({
      kind: 'invalid_argument',
      violations: [expect.objectContaining({ field: 'lines[0].quantity' })],
    });
    expect(calls).toEqual(['journal+', 'reserve', 'release', 'journal-']);
    expect(stored.size).toBe(0);
  });

  it('keeps the journal entry for recovery when the release itself fails', async () => {
    const { deps, calls } = fakes();
    deps.inventory.reserve = async () => Promise.reject(unavailable('down'));
    deps.inventory.release = async () => Promise.reject(unavailable('still down'));
    await expect(placeOrder(deps, CUSTOMER, input(), {})).rejects.toBeInstanceOf(AppError);
    expect(calls).toEqual(['journal+']);
  });

  it('returns the winner of a race on the same key, keeps its reservation and drops only the lease', async () => {
    const { deps, calls, stored } = fakes();
    deps.orders.insert = async (n) => (calls.push('insert'), stored.set(n.order.id, n), 'duplicate');
    const order = await placeOrder(deps, CUSTOMER, input(), {});
    expect(order.id).toBe([...stored.keys()][0]);
    expect(calls).toEqual(['journal+', 'reserve', 'insert', 'journal-']);
  });

  it("releases nothing once a retry with the same key took its lease over: the reservation is the retry's now", async () => {
    const { deps, calls } = fakes();
    deps.journal.extend = async () => undefined;
    deps.orders.insert = async () => {
      calls.push('insert');
      throw unavailable('this placement outlived its reservation lease; retry with the same idempotency key');
    };
    await expect(placeOrder(deps, CUSTOMER, input(), {})).rejects.toMatchObject({ kind: 'unavailable' });
    expect(calls).toEqual(['journal+', 'reserve', 'insert']);
  });

  it('tells a concurrent duplicate to retry instead of racing it', async () => {
    const { deps, calls } = fakes();
    deps.journal.acquire = async () => undefined;
    await expect(placeOrder(deps, CUSTOMER, input(), {})).rejects.toMatchObject({ kind: 'unavailable' });
    expect(calls).toEqual([]);
  });
});
