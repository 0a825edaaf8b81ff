import { Code, ConnectError } from '@connectrpc/connect';
import { anOrderRequest, aProduct, as, countRows, manyCustomers, ordersStack, stockOf } from './fixtures';

// testTimeout is not applied per project by jest, so it is set here (three real processes start per file).
jest.setTimeout(90_000);

describe('admission: placements past capacity', () => {
  // Two at a time and (almost) no line: a burst of 30 is mostly over capacity.
  const stack = ordersStack({ PLACE_ORDER_MAX_CONCURRENT: '2', PLACE_ORDER_MAX_WAIT_MS: '1' });

  it('refuses what it cannot start in time with unavailable, writes nothing for it, and counts it', async () => {
    const { up, orders } = stack;
    const product = await aProduct(up, { stock: 1000n });
    const customers = await manyCustomers(up, 30);
    const outcomes = await Promise.all(
      customers.map((c) =>
        orders.client.placeOrder(anOrderRequest([{ productId: product.id, quantity: 1n }]), as(c)).then(
          () => 'placed' as const,
          (e: unknown) => e,
        ),
      ),
    );
    const placed = outcomes.filter((o) => o === 'placed').length;
    const refused = outcomes.filter((o) => o instanceof ConnectError && o.code === Code.Unavailable);
    expect(placed).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(placed + refused.length).toBe(30);
    expect((refused[0] as ConnectError).rawMessage).toBe('the service is at capacity; retry shortly');

    // A refused placement never started: no order, no reservation, no journal entry.
    const rows = await countRows(up, orders.schema);
    expect(rows.orders).toBe(placed);
    expect(rows.pending_reservations).toBe(0);
    expect(await stockOf(up, product.id)).toMatchObject({ available: 1000n - BigInt(placed) });

    const metrics = await (await fetch(`http://127.0.0.1:${orders.svc.opsPort}/metrics`)).text();
    expect(metrics).toContain(
      `admission_rejected_total{work="place_order",reason="wait",app="orders"} ${refused.length}`,
    );

    // Retried once the burst is over, a refused placement goes through.
    const again = await orders.client.placeOrder(
      anOrderRequest([{ productId: product.id, quantity: 1n }]),
      as(customers[0]!),
    );
    expect(again.order!.status).toBeDefined();
  });
});
