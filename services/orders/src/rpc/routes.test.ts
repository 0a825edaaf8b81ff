import { randomUUID } from 'node:crypto';
import { Code, ConnectError, createClient, createRouterTransport, type Interceptor } from '@connectrpc/connect';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { OrderService, OrderStatus, PaymentMethod } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { identityHeaders, identityInterceptor, toConnectError } from '@ordersystem/platform';
import { ADDRESS } from '../../test/address';
import { memoryOrderServiceDeps } from '../../test/memory/order-service-deps';
import { routes } from '../routes.js';

/** What the platform server adds around routes: the caller's identity in, the one error mapping out. */
const mapErrors: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (err) {
    throw toConnectError(err).error;
  }
};

function setUp(over: Parameters<typeof memoryOrderServiceDeps>[0] = {}) {
  const memory = memoryOrderServiceDeps({ maxLines: 3, ...over });
  const transport = createRouterTransport(routes(memory.deps), {
    router: { interceptors: [mapErrors, identityInterceptor()] },
  });
  const customer = { id: randomUUID() };
  memory.contacts.contacts.set(customer.id, {
    name: 'Wanjiru Kamau',
    email: 'w@example.test',
    phoneNumber: '+254712345678',
  });
  const product = memory.inventory.add({ id: randomUUID(), priceMinor: 1_000n, available: 10n });
  return { ...memory, client: createClient(OrderService, transport), customer, product };
}

const as = (user: { id: string }, admin = false) => ({
  headers: identityHeaders({
    customerId: user.id,
    email: `${user.id}@example.test`,
    roles: admin ? ['admin'] : ['customer'],
  }),
});
const ADMIN = { id: randomUUID() };

const request = (lines: Array<{ productId: string; quantity: bigint }>) => ({
  lines,
  deliveryAddress: { ...ADDRESS },
  note: '',
  idempotencyKey: randomUUID(),
  paymentMethod: PaymentMethod.PAY_ON_DELIVERY,
});

/** The Connect code and the BadRequest field names a call failed with. */
async function failure(call: Promise<unknown>): Promise<{ code: Code; fields: string[] }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ConnectError)) throw new Error(`expected a ConnectError, got ${String(err)}`);
  return {
    code: err.code,
    fields: err.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field)),
  };
}

describe('OrderService routes (in memory)', () => {
  it('places an order, confirmed at once, and settles its catalog follow-up', async () => {
    const t = setUp();
    const { order } = await t.client.placeOrder(request([{ productId: t.product.id, quantity: 2n }]), as(t.customer));
    expect(order).toMatchObject({
      customerId: t.customer.id,
      status: OrderStatus.CONFIRMED,
      total: { amountMinor: 2_320n, currencyCode: 'KES' },
    });
    expect(t.tasks.ran).toEqual([order!.id]);
    expect(t.orders.written(order!.id).events).toEqual(['OrderPlaced', 'OrderConfirmed']);
  });

  it.each([
    ['no lines', [], ['lines']],
    ['quantity 0', [{ productId: 'P', quantity: 0n }], ['lines[0].quantity']],
    ['a product id that is not a UUID', [{ productId: 'not-a-uuid', quantity: 1n }], ['lines[0].product_id']],
    ['more lines than allowed', Array.from({ length: 4 }, () => ({ productId: 'P', quantity: 1n })), ['lines']],
  ])('refuses PlaceOrder with %s as invalid_argument naming the field', async (_case, lines, fields) => {
    const t = setUp();
    const withProduct = lines.map((l) => ({ ...l, productId: l.productId === 'P' ? t.product.id : l.productId }));
    expect(await failure(t.client.placeOrder(request(withProduct), as(t.customer)))).toEqual({
      code: Code.InvalidArgument,
      fields,
    });
    expect(t.inventory.calls).toEqual([]);
  });

  it('refuses an unspecified payment method, or one the enum does not define, on payment_method; the one asked for is the one stored', async () => {
    const t = setUp();
    for (const method of [PaymentMethod.UNSPECIFIED, 7 as PaymentMethod]) {
      const bad = { ...request([{ productId: t.product.id, quantity: 1n }]), paymentMethod: method };
      expect(await failure(t.client.placeOrder(bad, as(t.customer)))).toEqual({
        code: Code.InvalidArgument,
        fields: ['payment_method'],
      });
    }
    const asked = {
      ...request([{ productId: t.product.id, quantity: 1n }]),
      paymentMethod: PaymentMethod.PAY_ON_DELIVERY,
    };
    expect((await t.client.placeOrder(asked, as(t.customer))).order?.paymentMethod).toBe(PaymentMethod.PAY_ON_DELIVERY);
  });

  it('names every bad field of a PlaceOrder at once, including the address', async () => {
    const t = setUp();
    const bad = {
      ...request([{ productId: t.product.id, quantity: 0n }]),
      deliveryAddress: { ...ADDRESS, city: '', countryCode: 'Kenya' },
      idempotencyKey: '',
    };
    const { code, fields } = await failure(t.client.placeOrder(bad, as(t.customer)));
    expect(code).toBe(Code.InvalidArgument);
    expect(fields).toEqual([
      'lines[0].quantity',
      'delivery_address.city',
      'delivery_address.country_code',
      'idempotency_key',
    ]);
  });

  it("passes the catalog's refusal on as failed_precondition naming the caller's line", async () => {
    const t = setUp();
    const lines = [
      { productId: t.product.id, quantity: 1n },
      { productId: randomUUID(), quantity: 1n },
    ];
    expect(await failure(t.client.placeOrder(request(lines), as(t.customer)))).toEqual({
      code: Code.FailedPrecondition,
      fields: ['lines[1].product_id'],
    });
  });

  it('answers unauthenticated when the call carries no identity', async () => {
    const t = setUp();
    expect((await failure(t.client.placeOrder(request([{ productId: t.product.id, quantity: 1n }])))).code).toBe(
      Code.Unauthenticated,
    );
  });

  it("answers not_found for a missing order and for another customer's order alike", async () => {
    const t = setUp();
    const { order } = await t.client.placeOrder(request([{ productId: t.product.id, quantity: 1n }]), as(t.customer));
    expect(await t.client.getOrder({ id: order!.id }, as(t.customer))).toMatchObject({ order: { id: order!.id } });
    expect(await t.client.getOrder({ id: order!.id }, as(ADMIN, true))).toMatchObject({ order: { id: order!.id } });
    expect((await failure(t.client.getOrder({ id: randomUUID() }, as(t.customer)))).code).toBe(Code.NotFound);
    expect((await failure(t.client.getOrder({ id: order!.id }, as({ id: randomUUID() })))).code).toBe(Code.NotFound);
    expect((await failure(t.client.cancelOrder({ id: order!.id, reason: '' }, as({ id: randomUUID() })))).code).toBe(
      Code.NotFound,
    );
  });

  it('keeps admin RPCs from customers with permission_denied', async () => {
    const t = setUp({ confirmAtPlacement: false });
    const { order } = await t.client.placeOrder(request([{ productId: t.product.id, quantity: 1n }]), as(t.customer));
    expect((await failure(t.client.confirmOrder({ id: order!.id, reason: '' }, as(t.customer)))).code).toBe(
      Code.PermissionDenied,
    );
    expect((await failure(t.client.listOrders({}, as(t.customer)))).code).toBe(Code.PermissionDenied);
    expect((await t.client.getOrder({ id: order!.id }, as(t.customer))).order!.status).toBe(OrderStatus.PENDING);
  });

  it('refuses an illegal transition with failed_precondition and leaves the order as it was', async () => {
    const t = setUp({ confirmAtPlacement: false });
    const { order } = await t.client.placeOrder(request([{ productId: t.product.id, quantity: 1n }]), as(t.customer));
    expect((await failure(t.client.shipOrder({ id: order!.id, reason: '' }, as(ADMIN, true)))).code).toBe(
      Code.FailedPrecondition,
    );
    const after = (await t.client.getOrder({ id: order!.id }, as(t.customer))).order!;
    expect(after.status).toBe(OrderStatus.PENDING);
    expect(after.history).toHaveLength(1);
  });

  it('runs the legal workflow and lists the orders newest first with a page token', async () => {
    const t = setUp();
    const place = async () =>
      (await t.client.placeOrder(request([{ productId: t.product.id, quantity: 1n }]), as(t.customer))).order!;
    const first = await place();
    const second = await place();
    expect((await t.client.shipOrder({ id: first.id, reason: '' }, as(ADMIN, true))).order!.status).toBe(
      OrderStatus.SHIPPED,
    );
    expect((await t.client.deliverOrder({ id: first.id, reason: '' }, as(ADMIN, true))).order!.status).toBe(
      OrderStatus.DELIVERED,
    );
    const page = await t.client.listMyOrders({ pageSize: 1 }, as(t.customer));
    expect(page.orders.map((o) => o.id)).toEqual([second.id]);
    const next = await t.client.listMyOrders({ pageSize: 1, pageToken: page.nextPageToken }, as(t.customer));
    expect(next.orders.map((o) => o.id)).toEqual([first.id]);
    expect((await failure(t.client.listMyOrders({ pageSize: 101 }, as(t.customer)))).fields).toEqual(['page_size']);
  });
});
