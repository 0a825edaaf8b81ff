import { Code, ConnectError, createClient, createRouterTransport, type Transport } from '@connectrpc/connect';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { CustomerService } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { createMetrics, type Identity, observeRpcs, unauthenticated } from '@ordersystem/platform';
import { brokenTransport, fakeUpstreams } from '../test/memory/upstreams';
import type { LimitDecision } from './limits/limiter';
import { buildPolicyTable } from './policy/policy-table';
import { PUBLIC_API } from './public-api';
import { routes } from './routes';
import { policyInterceptor } from './rpc/policy-interceptor';

const table = buildPolicyTable(PUBLIC_API.map((p) => p.service));
const identities: Record<string, Identity> = {
  'customer-token': { customerId: 'c-1', email: 'c@example.test', roles: ['customer'] },
  'admin-token': { customerId: 'a-1', email: 'a@example.test', roles: ['customer', 'admin'] },
};

/** The gateway's routes with the interceptors the platform server puts around them at the edge. */
function gateway(orders: Transport, userLimit: LimitDecision = { allowed: true }) {
  const upstreams = fakeUpstreams(orders);
  const transport = createRouterTransport(
    routes({ transports: upstreams.transports, table, upstream: { timeoutMs: 1_000, maxAttempts: 3, retryBaseMs: 1 } }),
    {
      router: {
        interceptors: [
          observeRpcs({ metrics: createMetrics('gateway-test'), loggerFor: () => undefined }),
          policyInterceptor({
            table,
            exempt: new Set(),
            verify: async (token) =>
              identities[token] ?? Promise.reject(unauthenticated('invalid or expired access token')),
            userLimiter: { consume: async () => userLimit },
            onRateLimited: () => undefined,
          }),
        ],
      },
    },
  );
  const as = (token?: string) => (token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return {
    called: upstreams.called,
    as,
    catalog: createClient(CatalogService, transport),
    customers: createClient(CustomerService, transport),
    orders: createClient(OrderService, transport),
  };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => ConnectError.from(err),
  );

const unreachable = () =>
  brokenTransport(
    () =>
      new ConnectError(
        'connect ECONNREFUSED 10.0.0.7:50051',
        Code.Unavailable,
        undefined,
        undefined,
        new Error('ECONNREFUSED'),
      ),
  );

describe('gateway routes and policy (in memory)', () => {
  it('lets a public method through without a token', async () => {
    const gw = gateway(unreachable());
    const res = await gw.catalog.listProducts({});
    expect(res.products.map((p) => p.name)).toEqual(['Teapot']);
  });

  it('refuses a customer method without a token, before calling the upstream', async () => {
    const gw = gateway(unreachable());
    expect((await failure(gw.customers.getMe({}))).code).toBe(Code.Unauthenticated);
    expect(gw.called).toEqual([]);
  });

  it('forwards the verified identity of a customer token', async () => {
    const gw = gateway(unreachable());
    const res = await gw.customers.getMe({}, gw.as('customer-token'));
    expect(res.customer?.id).toBe('c-1');
  });

  it('refuses an admin method to a customer token with permission_denied', async () => {
    const gw = gateway(unreachable());
    expect((await failure(gw.customers.listCustomers({}, gw.as('customer-token')))).code).toBe(Code.PermissionDenied);
    expect(gw.called).toEqual([]);
    await gw.customers.listCustomers({}, gw.as('admin-token'));
    expect(gw.called).toEqual(['ListCustomers']);
  });

  it('refuses a broken token even on a public method', async () => {
    const gw = gateway(unreachable());
    expect((await failure(gw.catalog.listProducts({}, gw.as('forged')))).code).toBe(Code.Unauthenticated);
  });

  it('passes an upstream refusal through with its BadRequest field violations', async () => {
    const gw = gateway(unreachable());
    const err = await failure(gw.catalog.getProduct({ id: 'nope' }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toBe('id: must be a UUID');
    const violations = err.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations);
    expect(violations.map(({ field, description }) => ({ field, description }))).toEqual([
      { field: 'id', description: 'must be a UUID' },
    ]);
  });

  it('answers a user over the rate limit with resource_exhausted and Retry-After', async () => {
    const gw = gateway(unreachable(), { allowed: false, retryAfterSeconds: 12 });
    const err = await failure(gw.catalog.listProducts({}, gw.as('customer-token')));
    expect(err.code).toBe(Code.ResourceExhausted);
    expect(err.metadata.get('retry-after')).toBe('12');
  });

  const econnreset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  it.each([
    [
      'refused',
      () =>
        new ConnectError(
          'connect ECONNREFUSED 10.0.0.7:50051',
          Code.Unavailable,
          undefined,
          undefined,
          new Error('ECONNREFUSED'),
        ),
    ],
    [
      'reset (reported by connect-node as aborted)',
      () => new ConnectError('read ECONNRESET', Code.Aborted, undefined, undefined, econnreset()),
    ],
    [
      'closed by a dying upstream (HTTP/2 CANCEL)',
      () => new ConnectError('http/2 stream closed with error code CANCEL (0x8)', Code.Canceled),
    ],
    [
      'broken mid-stream (HTTP/2 INTERNAL_ERROR)',
      () => new ConnectError('http/2 stream closed with error code INTERNAL_ERROR (0x2)', Code.Internal),
    ],
  ])('answers an upstream connection %s with unavailable, retrying only idempotent methods', async (_name, error) => {
    const orders = brokenTransport(error);
    const gw = gateway(orders);
    const read = await failure(gw.orders.getOrder({ id: 'o-1' }, gw.as('customer-token')));
    expect({ code: read.code, message: read.rawMessage }).toEqual({
      code: Code.Unavailable,
      message: 'upstream unavailable',
    });
    expect(orders.attempts).toBe(3);
    const place = await failure(gw.orders.placeOrder({}, gw.as('customer-token')));
    expect({ code: place.code, message: place.rawMessage }).toEqual({
      code: Code.Unavailable,
      message: 'upstream unavailable',
    });
    expect(orders.attempts).toBe(4);
  });
});
