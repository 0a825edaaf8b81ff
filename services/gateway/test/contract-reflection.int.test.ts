import type { FileRegistry } from '@bufbuild/protobuf';
import { PUBLIC_API } from '../src/public-api';
import { reflectionClient } from './reflection-client';
import { type Stack, startStack } from './stack';

jest.setTimeout(60_000);

const REFLECTION = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'];
const PUBLIC = PUBLIC_API.map((p) => p.service.typeName);
const methodOf = (registry: FileRegistry | { errorCode: number }, service: string, method: string) =>
  'getService' in registry ? registry.getService(service)?.methods.find((m) => m.name === method) : undefined;

describe('server reflection', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ upstreams: ['catalog'] });
  }, 60_000);
  afterAll(() => stack?.stop(), 30_000);

  it('lists and describes every service of an internal service, internal ones included', async () => {
    const catalog = reflectionClient(`http://127.0.0.1:${stack.upstreams.catalog!.svc.port}`);
    expect(await catalog.listServices()).toEqual(
      [
        'grpc.health.v1.Health',
        'ordersystem.catalog.v1.CatalogService',
        'ordersystem.catalog.v1.InventoryService',
        ...REFLECTION,
      ].sort(),
    );
    const reserve = methodOf(
      await catalog.describe('ordersystem.catalog.v1.InventoryService.ReserveStock'),
      'ordersystem.catalog.v1.InventoryService',
      'ReserveStock',
    );
    expect(reserve?.input.typeName).toBe('ordersystem.catalog.v1.ReserveStockRequest');
  });

  it('lists only the public API on the gateway and knows nothing of internal services', async () => {
    const gateway = reflectionClient(stack.url);
    expect(await gateway.listServices()).toEqual(['grpc.health.v1.Health', ...PUBLIC, ...REFLECTION].sort());
    const place = methodOf(
      await gateway.describe('ordersystem.orders.v1.OrderService.PlaceOrder'),
      'ordersystem.orders.v1.OrderService',
      'PlaceOrder',
    );
    expect(place?.output.typeName).toBe('ordersystem.orders.v1.PlaceOrderResponse');
    for (const internal of ['ordersystem.catalog.v1.InventoryService', 'ordersystem.customers.v1.IdentityService']) {
      expect(await gateway.describe(internal)).toEqual({ errorCode: 5 });
    }
  });
});
