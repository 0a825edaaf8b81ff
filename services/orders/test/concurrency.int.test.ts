import { Code, ConnectError } from '@connectrpc/connect';
import {
  anOrderRequest,
  eventually,
  aProduct,
  as,
  countRows,
  manyCustomers,
  startOrders,
  startUpstreams,
  stockOf,
  type Upstreams,
} from './fixtures';

// testTimeout is not applied per project by jest, so it is set here (three real processes start per file).
jest.setTimeout(90_000);

describe('the last units under contention', () => {
  let up: Upstreams;
  let orders: Awaited<ReturnType<typeof startOrders>>;

  beforeAll(async () => {
    up = await startUpstreams();
    orders = await startOrders(up, { UPSTREAM_TIMEOUT_MS: '20000' });
  });
  afterAll(async () => {
    await orders?.stop();
    await up?.stop();
  });

  it('100 customers ordering the last 10 units: exactly 10 orders, the rest failed_precondition, stock 0', async () => {
    const product = await aProduct(up, { stock: 10n });
    const customers = await manyCustomers(up, 100);
    const results = await Promise.all(
      customers.map((c) =>
        orders.client.placeOrder(anOrderRequest([{ productId: product.id, quantity: 1n }]), as(c)).then(
          (r) => r.order!.id,
          (e: unknown) => e,
        ),
      ),
    );
    const placed = results.filter((r): r is string => typeof r === 'string');
    const refused = results.filter((r) => r instanceof ConnectError) as ConnectError[];
    expect(placed).toHaveLength(10);
    expect(new Set(placed).size).toBe(10);
    expect(refused).toHaveLength(90);
    expect(refused.every((e) => e.code === Code.FailedPrecondition)).toBe(true);
    // Never oversold: nothing is available the moment the placements return ...
    expect((await stockOf(up, product.id)).available).toBe(0n);
    // ... and the ten commits (run right after each placement, or by the worker) empty on-hand.
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 0n, available: 0n }));
    await eventually(async () =>
      expect(await countRows(up, orders.schema)).toMatchObject({
        orders: 10,
        order_lines: 10,
        pending_reservations: 0,
        catalog_tasks: 0,
      }),
    );
  });
});
