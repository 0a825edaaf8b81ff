import { randomUUID } from 'node:crypto';
import { createLogger } from '@ordersystem/platform';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { infraEnv, startService } from '@ordersystem/testing';
import { Redis } from 'ioredis';
import { createRedisCache } from '../src/clients/redis-cache';
import { ADMIN, type Catalog, aCategory, aProduct, startCatalog } from './fixtures';

const kes = (amountMinor: bigint) => ({ currencyCode: 'KES', amountMinor }) as never;

/** Every cached read, then every kind of write, then the read again: it must show the write. */
describe('read cache', () => {
  let c: Catalog;
  let cat: string;
  beforeAll(async () => {
    c = await startCatalog({ CACHE_ENABLED: 'true' });
    cat = await aCategory(c);
  });
  afterAll(() => c?.stop());

  const treeNames = async (rootId: string) => {
    const flat: string[] = [];
    const walk = (nodes: { category?: { name: string }; children: never[] }[]) =>
      nodes.forEach((n) => {
        flat.push(n.category!.name);
        walk(n.children);
      });
    walk((await c.catalog.getCategoryTree({ rootId })).roots as never);
    return flat;
  };

  it("serves repeated reads from Redis (a change behind the service's back stays invisible)", async () => {
    const { product } = await c.catalog.createProduct({ product: aProduct(cat, { name: 'Cached' }) }, ADMIN);
    await c.catalog.getProduct({ id: product!.id });
    await c.sql("update products set name = 'Changed behind the back' where id = $1", [product!.id]);
    expect((await c.catalog.getProduct({ id: product!.id })).product?.name).toBe('Cached');
  });

  it('category tree, ancestors and descendants show every create, rename, move and delete', async () => {
    const root = await aCategory(c, '', 'R');
    expect(await treeNames(root)).toEqual(['R']);
    const child = await aCategory(c, root, 'Kid');
    expect(await treeNames(root)).toEqual(['R', 'Kid']);
    await c.catalog.updateCategory({ id: child, name: 'Renamed kid' }, ADMIN);
    expect(await treeNames(root)).toEqual(['R', 'Renamed kid']);
    const other = await aCategory(c, '', 'Other');
    expect((await c.catalog.listAncestors({ id: child })).categories.map((x) => x.id)).toEqual([root]);
    expect((await c.catalog.listDescendants({ id: other })).categories).toEqual([]);
    await c.catalog.moveCategory({ id: child, newParentId: other }, ADMIN);
    expect(await treeNames(root)).toEqual(['R']);
    expect((await c.catalog.listAncestors({ id: child })).categories.map((x) => x.id)).toEqual([other]);
    expect((await c.catalog.listDescendants({ id: other })).categories.map((x) => x.id)).toEqual([child]);
    await c.catalog.deleteCategory({ id: child }, ADMIN);
    expect((await c.catalog.listDescendants({ id: other })).categories).toEqual([]);
  });

  it('product by id shows every update, deactivation and stock movement', async () => {
    const { product } = await c.catalog.createProduct({ product: aProduct(cat, { stockOnHand: 10n }) }, ADMIN);
    const id = product!.id;
    const get = async () => (await c.catalog.getProduct({ id })).product!;
    expect((await get()).stockAvailable).toBe(10n);
    await c.catalog.updateProduct({ id, price: kes(4242n) }, ADMIN);
    expect((await get()).price?.amountMinor).toBe(4242n);
    const orderId = randomUUID();
    await c.inventory.reserveStock({ orderId, lines: [{ productId: id, quantity: 3n }] });
    expect((await get()).stockAvailable).toBe(7n);
    await c.inventory.commitReservation({ orderId });
    expect(await get()).toMatchObject({ stockOnHand: 7n, stockAvailable: 7n });
    await c.inventory.restockOrder({ orderId });
    expect((await get()).stockOnHand).toBe(10n);
    const second = randomUUID();
    await c.inventory.reserveStock({ orderId: second, lines: [{ productId: id, quantity: 2n }] });
    expect((await get()).stockAvailable).toBe(8n);
    await c.inventory.releaseReservation({ orderId: second });
    expect((await get()).stockAvailable).toBe(10n);
    await c.catalog.deactivateProduct({ id }, ADMIN);
    expect((await get()).active).toBe(false);
  });

  it('category stats show product creates, bulk uploads, price changes, deactivations and moves', async () => {
    const root = await aCategory(c);
    const child = await aCategory(c, root);
    const stats = async () => {
      const s = await c.catalog.getCategoryStats({ id: root });
      return [s.activeProductCount, s.averagePrice?.amountMinor];
    };
    expect(await stats()).toEqual([0n, undefined]);
    const { product } = await c.catalog.createProduct({ product: aProduct(child, { price: kes(100n) }) }, ADMIN);
    expect(await stats()).toEqual([1n, 100n]);
    await c.catalog.bulkUploadProducts({ products: [aProduct(child, { price: kes(300n) })] }, ADMIN);
    expect(await stats()).toEqual([2n, 200n]);
    await c.catalog.updateProduct({ id: product!.id, price: kes(500n) }, ADMIN);
    expect(await stats()).toEqual([2n, 400n]);
    await c.catalog.deactivateProduct({ id: product!.id }, ADMIN);
    expect(await stats()).toEqual([1n, 300n]);
    await c.catalog.moveCategory({ id: child, newParentId: '' }, ADMIN);
    expect(await stats()).toEqual([0n, undefined]);
  });

  it('product listings show creates, updates and stock changes', async () => {
    const list = async () =>
      (await c.catalog.listProducts({ categoryId: cat, inStockOnly: true, sort: 1, pageSize: 100 })).products.map(
        (p) => p.name,
      );
    const before = await list();
    const { product } = await c.catalog.createProduct(
      { product: aProduct(cat, { name: 'Zz listed', stockOnHand: 1n }) },
      ADMIN,
    );
    expect(await list()).toEqual([...before, 'Zz listed']);
    await c.catalog.updateProduct({ id: product!.id, name: 'Zz renamed' }, ADMIN);
    expect(await list()).toContain('Zz renamed');
    await c.inventory.reserveStock({ orderId: randomUUID(), lines: [{ productId: product!.id, quantity: 1n }] });
    expect(await list()).not.toContain('Zz renamed');
  });

  it('a write through one replica is visible on the next read through another (shared counters)', async () => {
    const infra = infraEnv();
    const other = await startService('catalog', {
      DATABASE_URL: infra.serviceUrls.catalog,
      DATABASE_SCHEMA: c.schema,
      REDIS_URL: infra.redisUrl,
      CACHE_PREFIX: c.cachePrefix,
    });
    try {
      const replica = createClient(CatalogService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${other.port}` }));
      const { product } = await c.catalog.createProduct({ product: aProduct(cat, { name: 'Before' }) }, ADMIN);
      expect((await replica.getProduct({ id: product!.id })).product?.name).toBe('Before');
      expect((await replica.getProduct({ id: product!.id })).product?.name).toBe('Before');
      await c.catalog.updateProduct({ id: product!.id, name: 'After' }, ADMIN);
      expect((await replica.getProduct({ id: product!.id })).product?.name).toBe('After');
    } finally {
      await other.stop();
    }
  });

  it('keeps reads working when Redis is unreachable', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    dead.on('error', () => {});
    const cache = createRedisCache(dead, createLogger({ service: 'test', level: 'silent' }), {
      prefix: 'x',
      ttlSeconds: 5,
    });
    await expect(cache.read({ family: 'tree' }, 'k', async () => 42)).resolves.toBe(42);
    await expect(cache.invalidate([{ family: 'tree' }])).resolves.toBeUndefined();
    dead.disconnect();
  });

  it('isolates its keys under the configured prefix', async () => {
    const redis = new Redis(infraEnv().redisUrl);
    try {
      const keys = await redis.keys(`${c.cachePrefix}:*`);
      expect(keys.some((k) => k.startsWith(`${c.cachePrefix}:product:`))).toBe(true);
      expect(keys.some((k) => k.startsWith(`${c.cachePrefix}:gen:tree`))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });
});
