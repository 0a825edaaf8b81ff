import { randomUUID } from 'node:crypto';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { InventoryService } from '@ordersystem/contracts/ordersystem/catalog/v1/inventory';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { OrderStatus } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { admin } from '@ordersystem/testing';
import { orderIdFor } from '../src/app/order-id';
import {
  ADMIN,
  aCustomer,
  anOrderRequest,
  aProduct,
  as,
  countRows,
  eventually,
  grpc,
  startOrders,
  startUpstreams,
  stockOf,
  type Upstreams,
} from './fixtures';

// testTimeout is not applied per project by jest, so it is set here (three real processes start per file).
jest.setTimeout(90_000);

/** The Connect error a call fails with, with its field names. */
async function failure(call: Promise<unknown>) {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ConnectError)) throw new Error(`expected a ConnectError, got ${String(err)}`);
  return {
    code: err.code,
    message: err.rawMessage,
    fields: err.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field)),
  };
}

describe('placing orders', () => {
  let up: Upstreams;
  let orders: Awaited<ReturnType<typeof startOrders>>;

  beforeAll(async () => {
    up = await startUpstreams();
    // "reduced" at 25 % so that exact .5 tax amounts (ties) occur and the rounding rule shows.
    orders = await startOrders(up, { MAX_ORDER_LINES: '3', TAX_RATES: '{"standard":1600,"reduced":2500,"zero":0}' });
  });
  afterAll(async () => {
    await orders?.stop();
    await up?.stop();
  });

  it('places an order confirmed at once (pay on delivery) with a price snapshot, tax and exact totals', async () => {
    const customer = await aCustomer(up, { name: 'Achieng Otieno' });
    const kettle = await aProduct(up, { priceMinor: 333n, stock: 10n });
    const { order } = await orders.client.placeOrder(
      anOrderRequest([{ productId: kettle.id, quantity: 3n }], { note: 'ring twice' }),
      as(customer),
    );
    expect(order!.number).toMatch(/^ORD-\d{6}$/);
    expect(order!.customerId).toBe(customer.id);
    expect(order!.status).toBe(OrderStatus.CONFIRMED);
    const [line] = order!.lines;
    expect(line).toMatchObject({
      productId: kettle.id,
      sku: kettle.sku,
      name: kettle.name,
      taxClass: 'standard',
      quantity: 3n,
    });
    expect(line!.unitPrice).toMatchObject({ amountMinor: 333n, currencyCode: 'KES' });
    expect([line!.lineSubtotal!.amountMinor, line!.lineTax!.amountMinor, line!.lineTotal!.amountMinor]).toEqual([
      999n,
      160n,
      1_159n,
    ]);
    expect(order!.subtotal!.amountMinor + order!.tax!.amountMinor).toBe(order!.total!.amountMinor);
    expect(order!.history.map((h) => [h.from, h.to, h.actorRole])).toEqual([
      [OrderStatus.UNSPECIFIED, OrderStatus.PENDING, 'customer'],
      [OrderStatus.PENDING, OrderStatus.CONFIRMED, 'system'],
    ]);
    // Confirmed means committed: the stock left on-hand, not just availability.
    await eventually(async () => expect(await stockOf(up, kettle.id)).toEqual({ onHand: 7n, available: 7n }));
    // Later price changes do not touch the snapshot.
    await up.catalogClient.updateProduct(
      { id: kettle.id, price: { currencyCode: 'KES', amountMinor: 999n } },
      as(ADMIN),
    );
    const again = await orders.client.getOrder({ id: order!.id }, as(customer));
    expect(again.order!.lines[0]!.unitPrice!.amountMinor).toBe(333n);
  });

  it('computes tax per line from the table, rounding exact halves up', async () => {
    const customer = await aCustomer(up);
    const tie = (priceMinor: bigint) => aProduct(up, { priceMinor, taxClass: 'reduced' });
    const [half, oneAndHalf, twoAndHalf] = await Promise.all([tie(2n), tie(6n), tie(10n)]);
    const lines = [half, oneAndHalf, twoAndHalf].map((p) => ({ productId: p.id, quantity: 1n }));
    const { order } = await orders.client.placeOrder(anOrderRequest(lines), as(customer));
    // 25 % of 2, 6, 10 = 0.5, 1.5, 2.5 → half-up 1, 2, 3 (half-even would give 0, 2, 2).
    expect(order!.lines.map((l) => l.lineTax!.amountMinor)).toEqual([1n, 2n, 3n]);
    expect(order!.tax!.amountMinor).toBe(6n);
    expect(order!.total!.amountMinor).toBe(24n);
    const zero = await aProduct(up, { priceMinor: 12_345n, taxClass: 'zero' });
    const zeroRated = await orders.client.placeOrder(
      anOrderRequest([{ productId: zero.id, quantity: 2n }]),
      as(customer),
    );
    expect(zeroRated.order!.tax!.amountMinor).toBe(0n);
    expect(zeroRated.order!.total!.amountMinor).toBe(24_690n);
  });

  it('returns the same order for the same idempotency key and reserves only once', async () => {
    const customer = await aCustomer(up);
    const product = await aProduct(up, { stock: 10n });
    const request = anOrderRequest([{ productId: product.id, quantity: 4n }]);
    const [first, second] = await Promise.all([
      orders.client.placeOrder(request, as(customer)).catch((e: unknown) => e),
      orders.client.placeOrder(request, as(customer)).catch((e: unknown) => e),
    ]);
    const third = await orders.client.placeOrder(request, as(customer));
    // A racing duplicate may be told to retry (unavailable); it never makes a second order.
    for (const r of [first, second]) if (r instanceof ConnectError) expect(r.code).toBe(Code.Unavailable);
    expect(
      [first, second]
        .filter((r) => !(r instanceof ConnectError))
        .every((r) => (r as typeof third).order!.id === third.order!.id),
    ).toBe(true);
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 6n, available: 6n }));
    const mine = await orders.client.listMyOrders({}, as(customer));
    expect(mine.orders.map((o) => o.id)).toEqual([third.order!.id]);
  });

  it('refuses a reused idempotency key with different contents (already_exists)', async () => {
    const customer = await aCustomer(up);
    const product = await aProduct(up);
    const request = anOrderRequest([{ productId: product.id, quantity: 1n }]);
    await orders.client.placeOrder(request, as(customer));
    const err = await failure(
      orders.client.placeOrder({ ...request, lines: [{ productId: product.id, quantity: 2n }] }, as(customer)),
    );
    expect(err).toMatchObject({ code: Code.AlreadyExists, fields: ['idempotency_key'] });
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 99n, available: 99n }));
  });

  describe('bad input gets a clear error and writes nothing', () => {
    it.each([
      ['zero quantity', 0n, 'lines[0].quantity'],
      ['negative quantity', -2n, 'lines[0].quantity'],
    ])('%s', async (_name, quantity, field) => {
      const customer = await aCustomer(up);
      const product = await aProduct(up);
      const before = await countRows(up, orders.schema);
      const err = await failure(
        orders.client.placeOrder(anOrderRequest([{ productId: product.id, quantity }]), as(customer)),
      );
      expect(err).toMatchObject({ code: Code.InvalidArgument, fields: [field] });
      expect(await countRows(up, orders.schema)).toEqual(before);
    });

    it('an empty order and more lines than MAX_ORDER_LINES', async () => {
      const customer = await aCustomer(up);
      const product = await aProduct(up);
      const before = await countRows(up, orders.schema);
      expect(await failure(orders.client.placeOrder(anOrderRequest([]), as(customer)))).toMatchObject({
        code: Code.InvalidArgument,
        fields: ['lines'],
      });
      const four = Array.from({ length: 4 }, () => ({ productId: product.id, quantity: 1n }));
      expect(await failure(orders.client.placeOrder(anOrderRequest(four), as(customer)))).toMatchObject({
        code: Code.InvalidArgument,
        fields: ['lines'],
      });
      expect(await countRows(up, orders.schema)).toEqual(before);
    });

    it('unknown and inactive products, and quantities past stock, name the line and reserve nothing', async () => {
      const customer = await aCustomer(up);
      const ok = await aProduct(up, { stock: 5n });
      const inactive = await aProduct(up, { active: false });
      const before = await countRows(up, orders.schema);
      const cases: Array<[Array<{ productId: string; quantity: bigint }>, string]> = [
        [
          [
            { productId: ok.id, quantity: 1n },
            { productId: randomUUID(), quantity: 1n },
          ],
          'lines[1].product_id',
        ],
        [[{ productId: inactive.id, quantity: 1n }], 'lines[0].product_id'],
        [[{ productId: ok.id, quantity: 6n }], 'lines[0].product_id'],
      ];
      for (const [lines, field] of cases) {
        const err = await failure(orders.client.placeOrder(anOrderRequest(lines), as(customer)));
        expect(err).toMatchObject({ code: Code.FailedPrecondition, fields: [field] });
      }
      expect(await countRows(up, orders.schema)).toEqual(before);
      await eventually(async () => expect(await stockOf(up, ok.id)).toEqual({ onHand: 5n, available: 5n }));
    });

    it('a bad address, note and idempotency key, all named at once', async () => {
      const customer = await aCustomer(up);
      const product = await aProduct(up);
      const request = anOrderRequest([{ productId: product.id, quantity: 1n }], {
        note: 'x'.repeat(501),
        idempotencyKey: '',
      });
      request.deliveryAddress = { ...request.deliveryAddress, line1: '', countryCode: 'Kenya' };
      const err = await failure(orders.client.placeOrder(request, as(customer)));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(err.fields).toEqual([
        'delivery_address.line1',
        'delivery_address.country_code',
        'note',
        'idempotency_key',
      ]);
    });

    it('an anonymous caller', async () => {
      expect((await failure(orders.client.placeOrder(anOrderRequest([])))).code).toBe(Code.Unauthenticated);
    });
  });

  it('releases a reservation left behind by a placement that died before storing its order', async () => {
    const customer = await aCustomer(up);
    const product = await aProduct(up, { stock: 10n });
    // What a crashed placement leaves: a catalog reservation and a journal row, but no order.
    const orderId = randomUUID();
    const inventory = createClient(InventoryService, grpc(up.catalog.svc.port));
    await inventory.reserveStock({ orderId, lines: [{ productId: product.id, quantity: 3n }] });
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 10n, available: 7n }));
    await admin(
      up.infra,
      `insert into ${orders.schema}.pending_reservations (order_id, customer_id, lease_until) values ($1, $2, now() - interval '1 second')`,
      [orderId, customer.id],
    );
    // Recovery (run at start-up and then on every worker pass) releases it.
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 10n, available: 10n }));
    await eventually(async () => expect((await countRows(up, orders.schema)).pending_reservations).toBe(0));
  });

  it('places the order when the client retries with its key after the cut-off attempt was released', async () => {
    const customer = await aCustomer(up);
    const product = await aProduct(up, { stock: 10n });
    const request = anOrderRequest([{ productId: product.id, quantity: 3n }]);
    // The first attempt reserved, then its replica died (the client got unavailable); recovery released it.
    const orderId = orderIdFor(customer.id, request.idempotencyKey);
    const inventory = createClient(InventoryService, grpc(up.catalog.svc.port));
    await inventory.reserveStock({ orderId, lines: [{ productId: product.id, quantity: 3n }] });
    await inventory.releaseReservation({ orderId });

    const { order } = await orders.client.placeOrder(request, as(customer));
    expect(order!.id).toBe(orderId);
    expect(order!.status).toBe(OrderStatus.CONFIRMED);
    await eventually(async () => expect(await stockOf(up, product.id)).toEqual({ onHand: 7n, available: 7n }));
    expect((await orders.client.placeOrder(request, as(customer))).order!.id).toBe(orderId);
  });

  describe('queries', () => {
    it('shows an order to its owner and admins only', async () => {
      const [owner, other] = await Promise.all([aCustomer(up), aCustomer(up)]);
      const product = await aProduct(up);
      const { order } = await orders.client.placeOrder(
        anOrderRequest([{ productId: product.id, quantity: 1n }]),
        as(owner),
      );
      expect((await orders.client.getOrder({ id: order!.id }, as(owner))).order!.id).toBe(order!.id);
      expect((await orders.client.getOrder({ id: order!.id }, as(ADMIN))).order!.id).toBe(order!.id);
      expect((await failure(orders.client.getOrder({ id: order!.id }, as(other)))).code).toBe(Code.NotFound);
      expect((await failure(orders.client.getOrder({ id: randomUUID() }, as(owner)))).code).toBe(Code.NotFound);
    });

    it('pages my orders newest first with a cursor and filters by status', async () => {
      const customer = await aCustomer(up);
      const product = await aProduct(up);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          (await orders.client.placeOrder(anOrderRequest([{ productId: product.id, quantity: 1n }]), as(customer)))
            .order!.id,
        );
      }
      await orders.client.cancelOrder({ id: ids[0]!, reason: 'changed my mind' }, as(customer));
      const seen: string[] = [];
      let pageToken = '';
      do {
        const page = await orders.client.listMyOrders({ pageSize: 2, pageToken }, as(customer));
        expect(page.orders.length).toBeLessThanOrEqual(2);
        seen.push(...page.orders.map((o) => o.id));
        pageToken = page.nextPageToken;
      } while (pageToken);
      expect(seen).toEqual([...ids].reverse());
      const cancelled = await orders.client.listMyOrders({ status: OrderStatus.CANCELLED }, as(customer));
      expect(cancelled.orders.map((o) => o.id)).toEqual([ids[0]]);
      expect(await failure(orders.client.listMyOrders({ pageSize: 101 }, as(customer)))).toMatchObject({
        code: Code.InvalidArgument,
        fields: ['page_size'],
      });
      expect(await failure(orders.client.listMyOrders({ pageToken: 'garbage' }, as(customer)))).toMatchObject({
        code: Code.InvalidArgument,
        fields: ['page_token'],
      });
    });

    it('lets admins list by customer, status and creation time; customers may not', async () => {
      const customer = await aCustomer(up);
      const product = await aProduct(up);
      const since = new Date(Date.now() - 60_000);
      const { order } = await orders.client.placeOrder(
        anOrderRequest([{ productId: product.id, quantity: 1n }]),
        as(customer),
      );
      const ts = (d: Date) => ({ seconds: BigInt(Math.floor(d.getTime() / 1000)), nanos: 0 });
      const found = await orders.client.listOrders(
        { customerId: customer.id, status: OrderStatus.CONFIRMED, createdAfter: ts(since) },
        as(ADMIN),
      );
      expect(found.orders.map((o) => o.id)).toEqual([order!.id]);
      const none = await orders.client.listOrders({ customerId: customer.id, createdBefore: ts(since) }, as(ADMIN));
      expect(none.orders).toEqual([]);
      expect((await failure(orders.client.listOrders({}, as(customer)))).code).toBe(Code.PermissionDenied);
    });
  });
});

describe('placing orders while the catalog is unreachable', () => {
  let up: Upstreams;
  let orders: Awaited<ReturnType<typeof startOrders>>;

  beforeAll(async () => {
    up = await startUpstreams();
    // Port 9 (discard) on loopback: nothing listens, so every catalog call fails fast.
    orders = await startOrders(up, { CATALOG_URL: 'http://127.0.0.1:9', UPSTREAM_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await orders?.stop();
    await up?.stop();
  });

  it('answers unavailable and stores no order', async () => {
    const customer = await aCustomer(up);
    const err = await failure(
      orders.client.placeOrder(anOrderRequest([{ productId: randomUUID(), quantity: 1n }]), as(customer)),
    );
    expect(err.code).toBe(Code.Unavailable);
    const rows = await countRows(up, orders.schema);
    expect(rows).toMatchObject({ orders: 0, order_lines: 0, outbox: 0, catalog_tasks: 0 });
    // The release could not be sent either: the journal keeps the order id for recovery.
    expect(rows.pending_reservations).toBe(1);
  });
});
