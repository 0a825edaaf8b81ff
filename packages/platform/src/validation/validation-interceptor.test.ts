import { Code, ConnectError, createClient, createRouterTransport } from '@connectrpc/connect';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { OrderService, PaymentMethod } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { identityHeaders } from '../auth/identity';
import { toConnectError } from '../errors/to-connect';
import { validationInterceptor } from './validation-interceptor';

const ORDER_ID = '0b8f8a2e-6a53-4c41-9d2f-5b8e1f3c2a10';
const reached: string[] = [];
const transport = createRouterTransport(
  (router) => {
    router.service(OrderService, {
      placeOrder: () => (reached.push('placeOrder'), {}),
      cancelOrder: () => (reached.push('cancelOrder'), {}),
    });
    router.service(CatalogService, { getProduct: () => (reached.push('getProduct'), {}) });
  },
  {
    router: {
      interceptors: [
        (next) => (req) => next(req).catch((err: unknown) => Promise.reject(toConnectError(err).error)),
        validationInterceptor({ accessFirst: true }),
      ],
    },
  },
);
const orders = createClient(OrderService, transport);
const catalog = createClient(CatalogService, transport);
const customer = { headers: identityHeaders({ customerId: ORDER_ID, email: 'c@example.test', roles: ['customer'] }) };

async function failure(call: Promise<unknown>) {
  const err = await call.then(
    () => Promise.reject(new Error('expected the call to fail')),
    (e: unknown) => ConnectError.from(e),
  );
  return {
    code: Code[err.code],
    fields: err.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field)),
  };
}

const goodOrder = () => ({
  lines: [{ productId: ORDER_ID, quantity: 2n }],
  deliveryAddress: {
    recipientName: 'Ada',
    line1: '1 Road',
    city: 'Nairobi',
    postalCode: '00100',
    countryCode: 'KE',
    phoneNumber: '',
  },
  note: '',
  idempotencyKey: 'k-1',
  paymentMethod: PaymentMethod.PAY_ON_DELIVERY,
});

describe('validation interceptor', () => {
  beforeEach(() => (reached.length = 0));

  it('lets a request that keeps the declared constraints through', async () => {
    await orders.placeOrder(goodOrder(), customer);
    await catalog.getProduct({ id: ORDER_ID });
    expect(reached).toEqual(['placeOrder', 'getProduct']);
  });

  it('names every broken constraint by its proto path, in field order, before the implementation runs', async () => {
    const order = {
      ...goodOrder(),
      lines: [
        { productId: ORDER_ID, quantity: 1n },
        { productId: 'nope', quantity: 0n },
      ],
      note: 'x'.repeat(501),
      idempotencyKey: '',
    };
    order.deliveryAddress = { ...order.deliveryAddress, line1: '', countryCode: 'Kenya', phoneNumber: '0712' };
    expect(await failure(orders.placeOrder(order, customer))).toEqual({
      code: 'InvalidArgument',
      fields: [
        'lines[1].product_id',
        'lines[1].quantity',
        'delivery_address.line1',
        'delivery_address.country_code',
        'delivery_address.phone_number',
        'note',
        'idempotency_key',
      ],
    });
    expect(await failure(catalog.getProduct({ id: 'nope' }))).toEqual({ code: 'InvalidArgument', fields: ['id'] });
    expect(reached).toEqual([]);
  });

  it('requires a message field declared required, and an enum value where unspecified is not allowed', async () => {
    expect(await failure(orders.placeOrder({ ...goodOrder(), deliveryAddress: undefined }, customer))).toEqual({
      code: 'InvalidArgument',
      fields: ['delivery_address'],
    });
    const unspecified = { ...goodOrder(), paymentMethod: PaymentMethod.UNSPECIFIED };
    expect(await failure(orders.placeOrder(unspecified, customer))).toEqual({
      code: 'InvalidArgument',
      fields: ['payment_method'],
    });
  });

  it('tells a caller the access level does not admit nothing about the input rules', async () => {
    expect(await failure(orders.placeOrder({}))).toEqual({ code: 'Unauthenticated', fields: [] });
    expect(await failure(orders.cancelOrder({ id: ORDER_ID, reason: 'x'.repeat(600) }))).toEqual({
      code: 'Unauthenticated',
      fields: [],
    });
    expect(await failure(catalog.getProduct({ id: 'nope' }))).toMatchObject({ code: 'InvalidArgument' });
    expect(reached).toEqual([]);
    // A valid request goes on: the use case checks the caller itself.
    await orders.cancelOrder({ id: ORDER_ID });
    expect(reached).toEqual(['cancelOrder']);
  });
});
