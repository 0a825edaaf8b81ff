import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, createRouterTransport } from '@connectrpc/connect';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { CatalogService, OrderService, apiError, createOrderSystemClient } from './index';

const PRODUCT_ID = '7c2d3b6e-1f0a-4e8b-9c5d-2a4f6e8b0c13';
const seenTokens: (string | null)[] = [];

/** A client of a stand-in gateway: public reads, a customer-only write, and the API's error details. */
function client(token?: string | (() => Promise<string | undefined>)) {
  return createOrderSystemClient({
    baseUrl: 'http://gateway.invalid',
    token,
    transport: (interceptors) =>
      createRouterTransport(
        (router) => {
          router.service(CatalogService, {
            getProduct(req, ctx) {
              seenTokens.push(ctx.requestHeader.get('authorization'));
              if (req.id !== PRODUCT_ID) {
                const details = [
                  {
                    desc: BadRequestSchema,
                    value: create(BadRequestSchema, {
                      fieldViolations: [{ field: 'id', description: 'value must be a valid UUID' }],
                    }),
                  },
                ];
                throw new ConnectError('id: value must be a valid UUID', Code.InvalidArgument, undefined, details);
              }
              return { product: { id: req.id, name: 'Kettle' } };
            },
          });
          router.service(OrderService, {
            placeOrder(_req, ctx) {
              if (ctx.requestHeader.get('authorization') !== 'Bearer t-2')
                throw new ConnectError('authentication required', Code.Unauthenticated);
              return { order: { id: 'o-1' } };
            },
            listMyOrders() {
              throw new ConnectError('rate limit exceeded', Code.ResourceExhausted, { 'retry-after': '7' });
            },
          });
        },
        { transport: { interceptors } },
      ),
  });
}

describe('order system client', () => {
  beforeEach(() => (seenTokens.length = 0));

  it('calls public operations anonymously', async () => {
    const { product } = await client().catalog.getProduct({ id: PRODUCT_ID });
    expect(product?.name).toBe('Kettle');
    expect(seenTokens).toEqual([null]);
  });

  it('sends the current bearer token on every call', async () => {
    let current = 't-1';
    const api = client(async () => current);
    await api.catalog.getProduct({ id: PRODUCT_ID });
    current = 't-2';
    expect((await api.orders.placeOrder({})).order?.id).toBe('o-1');
    expect(seenTokens).toEqual(['Bearer t-1']);
  });

  it('types the error details: code, field violations and retry-after', async () => {
    const api = client('t-1');
    const bad = await api.catalog.getProduct({ id: 'nope' }).catch(apiError);
    expect(bad).toEqual({
      code: Code.InvalidArgument,
      codeName: 'invalid_argument',
      message: 'id: value must be a valid UUID',
      fieldViolations: [{ field: 'id', description: 'value must be a valid UUID' }],
    });
    expect(await api.orders.placeOrder({}).catch(apiError)).toMatchObject({
      code: Code.Unauthenticated,
      fieldViolations: [],
    });
    expect(await api.orders.listMyOrders({}).catch(apiError)).toMatchObject({
      codeName: 'resource_exhausted',
      retryAfterSeconds: 7,
    });
  });
});
