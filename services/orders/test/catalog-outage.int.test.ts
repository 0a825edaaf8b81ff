import { randomBytes } from 'node:crypto';
import { OrderStatus } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { type RunningService, startService } from '@ordersystem/testing';
import {
  aCustomer,
  anOrderRequest,
  aProduct,
  as,
  countRows,
  eventually,
  startOrders,
  startUpstreams,
  stockOf,
  type Upstreams,
} from './fixtures';

// testTimeout is not applied per project by jest, so it is set here (three real processes start per file).
jest.setTimeout(90_000);

describe('catalog follow-ups survive a catalog outage', () => {
  let up: Upstreams;
  let orders: Awaited<ReturnType<typeof startOrders>>;
  let restarted: RunningService | undefined;

  beforeAll(async () => {
    up = await startUpstreams();
    orders = await startOrders(up, { UPSTREAM_TIMEOUT_MS: '1000', RELAY_MAX_BACKOFF_MS: '300' });
  });
  afterAll(async () => {
    await orders?.stop();
    await restarted?.stop();
    await up?.stop();
  });

  it('cancels while the catalog is down and restocks once it is back', async () => {
    const customer = await aCustomer(up);
    const product = await aProduct(up, { stock: 10n });
    const { order } = await orders.client.placeOrder(
      anOrderRequest([{ productId: product.id, quantity: 4n }]),
      as(customer),
    );
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 6n, available: 6n }));

    const port = up.catalog.svc.port;
    await up.catalog.svc.stop('SIGTERM');
    const { order: cancelled } = await orders.client.cancelOrder(
      { id: order!.id, reason: 'catalog is down' },
      as(customer),
    );
    expect(cancelled!.status).toBe(OrderStatus.CANCELLED);
    expect((await countRows(up, orders.schema)).catalog_tasks).toBe(1);

    // Same schema and port: the catalog comes back with its data, and the orders worker retries.
    restarted = await startService('catalog', {
      DATABASE_URL: up.infra.serviceUrls.catalog,
      DATABASE_SCHEMA: up.catalog.schema,
      PORT: String(port),
      REDIS_URL: up.infra.redisUrl,
      CACHE_PREFIX: `orders-test-${randomBytes(4).toString('hex')}`,
    });
    await eventually(
      async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 10n, available: 10n }),
      30_000,
    );
    await eventually(async () => expect((await countRows(up, orders.schema)).catalog_tasks).toBe(0));
  });
});
