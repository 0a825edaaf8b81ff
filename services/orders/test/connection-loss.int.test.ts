import { randomBytes } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import { OrderStatus } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { Client as PgClient } from 'pg';
import {
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

/** The Connect code a call ended with ("ok" for an answer), so a test can say which outcomes are fine. */
const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => 'ok',
    (err: unknown) => (err instanceof ConnectError ? Code[err.code] : `not a ConnectError: ${String(err)}`),
  );

describe('orders service after its database connections are terminated (issue 20)', () => {
  // Every helper's orders processes log in as orders_svc; this name picks out this test's own.
  const appName = `orders-conn-loss-${randomBytes(4).toString('hex')}`;
  let up: Upstreams;
  let orders: Awaited<ReturnType<typeof startOrders>>;

  beforeAll(async () => {
    up = await startUpstreams();
    // A short lease, so a placement cut off after reserving is released by recovery within the test.
    orders = await startOrders(up, { PGAPPNAME: appName, RESERVATION_LEASE_MS: '2000' });
  });
  afterAll(async () => {
    await orders?.stop();
    await up?.stop();
  });

  async function withAdmin<T>(work: (admin: PgClient) => Promise<T>): Promise<T> {
    const admin = new PgClient({ connectionString: up.infra.adminUrl });
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.end();
    }
  }

  /** pg_terminate_backend on every connection of this test's orders process; returns how many. */
  const terminateConnections = () =>
    withAdmin(async (admin) => {
      // Pick the pids first, then terminate exactly those: in one WHERE clause the planner may call
      // pg_terminate_backend before the filters, on every backend of the database.
      const { rows } = await admin.query<{ pid: number }>(
        `select pid from pg_stat_activity where usename = 'orders_svc' and application_name = $1 and pid <> pg_backend_pid()`,
        [appName],
      );
      const pids = rows.map((r) => r.pid);
      await admin.query(`select pg_terminate_backend(pid) from unnest($1::int[]) as pid`, [pids]);
      return pids.length;
    });

  /** One customer's rows: every stored order must be complete, and nothing may be left pending. */
  const rowsOf = (customerId: string) =>
    withAdmin(async (admin) => {
      const { rows } = await admin.query<Record<string, number>>(
        `with mine as (select id from ${orders.schema}.orders where customer_id = $1)
         select (select count(*)::int from mine) as orders,
                (select count(*)::int from ${orders.schema}.order_lines where order_id in (select id from mine)) as order_lines,
                (select count(*)::int from ${orders.schema}.order_status_history where order_id in (select id from mine)) as order_status_history,
                (select count(*)::int from ${orders.schema}.outbox where order_id in (select id from mine)) as outbox,
                (select count(*)::int from ${orders.schema}.catalog_tasks where order_id in (select id from mine)) as catalog_tasks,
                (select count(*)::int from ${orders.schema}.pending_reservations where customer_id = $1) as pending_reservations`,
        [customerId],
      );
      return rows[0]!;
    });

  /** n complete, confirmed orders of one line each, and a catalog holding exactly their stock. */
  async function expectSettled(customerId: string, productId: string, n: number): Promise<void> {
    await eventually(async () => {
      expect(await rowsOf(customerId)).toEqual({
        orders: n,
        order_lines: n,
        order_status_history: 2 * n,
        outbox: 2 * n,
        catalog_tasks: 0,
        pending_reservations: 0,
      });
      expect(await stockOf(up, productId)).toEqual({ onHand: BigInt(10 - n), available: BigInt(10 - n) });
    }, 30_000);
  }

  it('answers the next PlaceOrder (and its retry) after idle connections were terminated', async () => {
    const customer = await aCustomer(up);
    const product = await aProduct(up, { stock: 10n });
    const place = (request = anOrderRequest([{ productId: product.id, quantity: 1n }])) =>
      orders.client.placeOrder(request, as(customer));
    await place(); // the pool and the relay now hold connections to lose
    expect(await terminateConnections()).toBeGreaterThanOrEqual(1);

    const afterLoss = anOrderRequest([{ productId: product.id, quantity: 1n }]);
    const first = await outcome(place(afterLoss));
    expect(['ok', Code[Code.Unavailable]]).toContain(first);
    // The pool drops the dead connections, so the next placement succeeds.
    expect((await place()).order!.status).toBe(OrderStatus.CONFIRMED);
    // A retry with the same key returns the stored order, or places it if the first attempt was cut
    // off (its released reservation is taken again); only a lease still held can make it wait.
    const retry = await outcome(place(afterLoss));
    expect(first === 'ok' ? ['ok'] : ['ok', Code[Code.Unavailable]]).toContain(retry);
    await expectSettled(customer.id, product.id, retry === 'ok' ? 3 : 2);
    expect(orders.svc.logs.filter((l) => l.message === 'rpc failed unexpectedly')).toEqual([]);
  });

  it('answers placements cut off mid-flight with unavailable, never internal, and leaves nothing half-written', async () => {
    const customer = await aCustomer(up);
    const product = await aProduct(up, { stock: 10n });
    const place = () =>
      orders.client.placeOrder(anOrderRequest([{ productId: product.id, quantity: 1n }]), as(customer));
    const inFlight = Array.from({ length: 6 }, () => outcome(place()));
    for (let i = 0; i < 4; i++) {
      await terminateConnections();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const codes = await Promise.all(inFlight);
    expect(codes.filter((c) => c !== 'ok' && c !== Code[Code.Unavailable])).toEqual([]);

    expect((await place()).order!.status).toBe(OrderStatus.CONFIRMED);
    await expectSettled(customer.id, product.id, codes.filter((c) => c === 'ok').length + 1);
    expect(orders.svc.logs.filter((l) => l.message === 'rpc failed unexpectedly')).toEqual([]);
  });
});
