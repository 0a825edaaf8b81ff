import { randomUUID } from 'node:crypto';
import { type Client, createClient } from '@connectrpc/connect';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { InventoryService } from '@ordersystem/contracts/ordersystem/catalog/v1/inventory';
import { identityHeaders } from '@ordersystem/platform';
import { inMemoryTransport, rpcFailure } from '@ordersystem/testing';
import { type MemoryCatalogStore, memoryCatalog } from '../../test/memory';
import { MAX_PRICE_MINOR } from '../domain/product';
import { routes } from '../routes';

const ADMIN = { headers: identityHeaders({ customerId: randomUUID(), email: 'admin@example.com', roles: ['admin'] }) };
const CUSTOMER = {
  headers: identityHeaders({ customerId: randomUUID(), email: 'c@example.com', roles: ['customer'] }),
};
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const kes = (amountMinor: bigint) => ({ currencyCode: 'KES', amountMinor }) as never;

describe('catalog routes over in-memory ports', () => {
  let store: MemoryCatalogStore;
  let catalog: Client<typeof CatalogService>;
  let inventory: Client<typeof InventoryService>;
  beforeEach(() => {
    const memory = memoryCatalog();
    store = memory.store;
    const transport = inMemoryTransport(routes(memory.deps));
    catalog = createClient(CatalogService, transport);
    inventory = createClient(InventoryService, transport);
  });

  const aCategory = async (parentId = '') =>
    (await catalog.createCategory({ name: 'Category', slug: `cat-${randomUUID()}`, parentId }, ADMIN)).category!.id;
  const aProduct = (categoryId: string, over: Record<string, unknown> = {}) => ({
    sku: `SKU-${randomUUID().slice(0, 8)}`,
    name: 'Kettle',
    price: kes(1000n),
    categoryId,
    taxClass: 'standard',
    stockOnHand: 5n,
    active: true,
    ...over,
  });

  it('creates, reads and lists through the RPC surface', async () => {
    const root = await aCategory();
    const child = await aCategory(root);
    const { product } = await catalog.createProduct({ product: aProduct(child) }, ADMIN);
    expect((await catalog.getCategoryTree({ rootId: root })).roots[0]?.children[0]?.category?.id).toBe(child);
    expect(
      (await catalog.listProducts({ categoryId: root, includeDescendants: true })).products.map((p) => p.id),
    ).toEqual([product!.id]);
    expect((await catalog.getCategoryStats({ id: root })).averagePrice?.amountMinor).toBe(1000n);
  });

  it.each([
    ['GetCategory', () => catalog.getCategory({ id: 'nope' }), 'id'],
    ['GetCategoryTree', () => catalog.getCategoryTree({ rootId: 'nope' }), 'root_id'],
    ['ListDescendants', () => catalog.listDescendants({ id: 'nope' }), 'id'],
    ['GetProduct', () => catalog.getProduct({ id: 'nope' }), 'id'],
    ['ListProducts', () => catalog.listProducts({ categoryId: 'nope' }), 'category_id'],
    ['MoveCategory', () => catalog.moveCategory({ id: UNKNOWN, newParentId: 'nope' }, ADMIN), 'new_parent_id'],
    ['CommitReservation', () => inventory.commitReservation({ orderId: 'nope' }), 'order_id'],
    [
      'ReserveStock',
      () => inventory.reserveStock({ orderId: randomUUID(), lines: [{ productId: 'nope', quantity: 1n }] }),
      'lines[0].product_id',
    ],
  ])('%s refuses a malformed id with invalid_argument on the field', async (_rpc, call, field) => {
    expect(await rpcFailure(call())).toEqual({ code: 'InvalidArgument', fields: [field] });
  });

  it('refuses a sort the enum does not define on sort, instead of serving the default order', async () => {
    expect(await rpcFailure(catalog.listProducts({ sort: 99 as never }))).toEqual({
      code: 'InvalidArgument',
      fields: ['sort'],
    });
  });

  it('refuses a price whose orders could overflow int64 totals on price.amount_minor, and writes nothing', async () => {
    const cat = await aCategory();
    const tooDear = aProduct(cat, { price: kes(MAX_PRICE_MINOR + 1n) });
    expect(await rpcFailure(catalog.createProduct({ product: tooDear }, ADMIN))).toEqual({
      code: 'InvalidArgument',
      fields: ['product.price.amount_minor'],
    });
    expect(store.products.size).toBe(0);
    const { product } = await catalog.createProduct({ product: aProduct(cat, { price: kes(MAX_PRICE_MINOR) }) }, ADMIN);
    expect(product?.price?.amountMinor).toBe(MAX_PRICE_MINOR);
    const update = catalog.updateProduct({ id: product!.id, price: kes(MAX_PRICE_MINOR + 1n) }, ADMIN);
    expect(await rpcFailure(update)).toEqual({ code: 'InvalidArgument', fields: ['price.amount_minor'] });
  });

  it('refuses a page size over 100 on page_size', async () => {
    expect(await rpcFailure(catalog.listProducts({ pageSize: 101 }))).toEqual({
      code: 'InvalidArgument',
      fields: ['page_size'],
    });
  });

  it('answers not_found for an unknown category, product or reservation', async () => {
    expect((await rpcFailure(catalog.getCategory({ id: UNKNOWN }))).code).toBe('NotFound');
    expect((await rpcFailure(catalog.getCategoryStats({ id: UNKNOWN }))).code).toBe('NotFound');
    expect((await rpcFailure(catalog.listAncestors({ id: UNKNOWN }))).code).toBe('NotFound');
    expect((await rpcFailure(catalog.getProduct({ id: UNKNOWN }))).code).toBe('NotFound');
    expect((await rpcFailure(inventory.commitReservation({ orderId: UNKNOWN }))).code).toBe('NotFound');
  });

  it('refuses to delete a category with children or products (failed_precondition on id)', async () => {
    const parent = await aCategory();
    const leaf = await aCategory(parent);
    expect(await rpcFailure(catalog.deleteCategory({ id: parent }, ADMIN))).toEqual({
      code: 'FailedPrecondition',
      fields: ['id'],
    });
    await catalog.createProduct({ product: aProduct(leaf) }, ADMIN);
    expect(await rpcFailure(catalog.deleteCategory({ id: leaf }, ADMIN))).toEqual({
      code: 'FailedPrecondition',
      fields: ['id'],
    });
    expect(store.categories.size).toBe(2);
  });

  it('refuses a move under a descendant on new_parent_id', async () => {
    const a = await aCategory();
    const b = await aCategory(a);
    expect(await rpcFailure(catalog.moveCategory({ id: a, newParentId: b }, ADMIN))).toEqual({
      code: 'FailedPrecondition',
      fields: ['new_parent_id'],
    });
  });

  it('reports every bad row of a bulk upload as products[i].<field> and writes none of it', async () => {
    const cat = await aCategory();
    const taken = (await catalog.createProduct({ product: aProduct(cat) }, ADMIN)).product!.sku;
    const result = await rpcFailure(
      catalog.bulkUploadProducts(
        {
          products: [
            aProduct(cat, { sku: 'DUP-1' }),
            aProduct(cat, { sku: 'DUP-1' }),
            aProduct(cat, { sku: taken }),
            aProduct(UNKNOWN),
            aProduct(cat, { price: kes(0n) }),
          ],
        },
        ADMIN,
      ),
    );
    expect(result.code).toBe('InvalidArgument');
    expect(result.fields.sort()).toEqual([
      'products[1].sku',
      'products[2].sku',
      'products[3].category_id',
      'products[4].price.amount_minor',
    ]);
    expect(store.products.size).toBe(1);
  });

  it('answers already_exists on product.sku for a taken SKU', async () => {
    const cat = await aCategory();
    const { product } = await catalog.createProduct({ product: aProduct(cat) }, ADMIN);
    expect(await rpcFailure(catalog.createProduct({ product: aProduct(cat, { sku: product!.sku }) }, ADMIN))).toEqual({
      code: 'AlreadyExists',
      fields: ['product.sku'],
    });
  });

  it('refuses a reservation that cannot be served, naming the line, and reserves nothing', async () => {
    const cat = await aCategory();
    const { product } = await catalog.createProduct({ product: aProduct(cat, { stockOnHand: 2n }) }, ADMIN);
    const call = inventory.reserveStock({ orderId: randomUUID(), lines: [{ productId: product!.id, quantity: 3n }] });
    expect(await rpcFailure(call)).toEqual({ code: 'FailedPrecondition', fields: ['lines[0].product_id'] });
    expect((await catalog.getProduct({ id: product!.id })).product?.stockAvailable).toBe(2n);
  });

  describe('admin-only writes', () => {
    type As = { headers?: Record<string, string> };
    const writes: [string, (as: As) => Promise<unknown>][] = [
      ['CreateCategory', (as) => catalog.createCategory({ name: 'x', slug: 'x' }, as)],
      ['UpdateCategory', (as) => catalog.updateCategory({ id: UNKNOWN, name: 'x' }, as)],
      ['MoveCategory', (as) => catalog.moveCategory({ id: UNKNOWN }, as)],
      ['DeleteCategory', (as) => catalog.deleteCategory({ id: UNKNOWN }, as)],
      ['CreateProduct', (as) => catalog.createProduct({ product: aProduct(UNKNOWN) }, as)],
      ['UpdateProduct', (as) => catalog.updateProduct({ id: UNKNOWN, name: 'x' }, as)],
      ['DeactivateProduct', (as) => catalog.deactivateProduct({ id: UNKNOWN }, as)],
      ['BulkUploadProducts', (as) => catalog.bulkUploadProducts({ products: [aProduct(UNKNOWN)] }, as)],
    ];

    it.each(writes)('%s is unauthenticated without an identity', async (_rpc, call) => {
      expect((await rpcFailure(call({}))).code).toBe('Unauthenticated');
      expect(store.categories.size + store.products.size).toBe(0);
    });

    it.each(writes)('%s is permission_denied for a customer', async (_rpc, call) => {
      expect((await rpcFailure(call(CUSTOMER))).code).toBe('PermissionDenied');
      expect(store.categories.size + store.products.size).toBe(0);
    });
  });
});
