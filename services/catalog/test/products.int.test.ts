import { Code } from '@connectrpc/connect';
import { ProductSort } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import {
  ADMIN,
  type Catalog,
  aCategory,
  aProduct,
  expectRpcError,
  startCatalog,
  uniq,
  violatedFields,
} from './fixtures';

const kes = (amountMinor: bigint) => ({ currencyCode: 'KES', amountMinor }) as never;

describe('products', () => {
  let c: Catalog;
  let cat: string;
  const productCount = async () => Number((await c.sql<{ n: string }>('select count(*) as n from products'))[0]!.n);

  beforeAll(async () => {
    c = await startCatalog();
    cat = await aCategory(c);
  });
  afterAll(() => c?.stop());

  it('creates, reads, updates and deactivates a product without deleting it', async () => {
    const { product } = await c.catalog.createProduct({ product: aProduct(cat, { stockOnHand: 5n }) }, ADMIN);
    expect(product).toMatchObject({ stockOnHand: 5n, stockAvailable: 5n, active: true, taxClass: 'standard' });
    expect((await c.catalog.getProduct({ id: product!.id })).product?.sku).toBe(product!.sku);
    const updated = await c.catalog.updateProduct(
      { id: product!.id, name: 'New name', price: kes(2500n), stockOnHand: 7n, taxClass: 'reduced' },
      ADMIN,
    );
    expect(updated.product).toMatchObject({
      name: 'New name',
      price: { amountMinor: 2500n },
      stockOnHand: 7n,
      taxClass: 'reduced',
      description: product!.description,
    });
    const off = await c.catalog.deactivateProduct({ id: product!.id }, ADMIN);
    expect(off.product?.active).toBe(false);
    expect((await c.catalog.getProduct({ id: product!.id })).product?.active).toBe(false);
  });

  it('bulk-uploads all rows in one transaction', async () => {
    const res = await c.catalog.bulkUploadProducts({ products: [aProduct(cat), aProduct(cat), aProduct(cat)] }, ADMIN);
    expect(res.created).toHaveLength(3);
  });

  it('rejects a bulk upload with every bad row named and writes none of it', async () => {
    const taken = (await c.catalog.createProduct({ product: aProduct(cat) }, ADMIN)).product!.sku;
    const before = await productCount();
    const dup = uniq('DUP');
    const err = await expectRpcError(
      c.catalog.bulkUploadProducts(
        {
          products: [
            aProduct(cat),
            aProduct(cat, { sku: dup }),
            aProduct(cat, { price: kes(0n) }),
            aProduct(cat, { sku: dup }),
            aProduct(cat, { sku: taken }),
            aProduct('00000000-0000-4000-8000-000000000000'),
            aProduct(cat, { stockOnHand: -1n, name: '' }),
            aProduct(cat, { price: { currencyCode: 'USD', amountMinor: 5n } as never, taxClass: 'luxury' }),
          ],
        },
        ADMIN,
      ),
      Code.InvalidArgument,
    );
    expect(violatedFields(err).sort()).toEqual(
      [
        'products[2].price.amount_minor',
        'products[3].sku',
        'products[4].sku',
        'products[5].category_id',
        'products[6].name',
        'products[6].stock_on_hand',
        'products[7].price.currency_code',
        'products[7].tax_class',
      ].sort(),
    );
    expect(await productCount()).toBe(before);
  });

  describe('bad input on create names the field and writes nothing', () => {
    it.each([
      ['an empty name', { name: '' }, Code.InvalidArgument, 'product.name'],
      ['an over-long name', { name: 'x'.repeat(201) }, Code.InvalidArgument, 'product.name'],
      ['a zero price', { price: kes(0n) }, Code.InvalidArgument, 'product.price.amount_minor'],
      ['a negative price', { price: kes(-5n) }, Code.InvalidArgument, 'product.price.amount_minor'],
      [
        'a foreign currency',
        { price: { currencyCode: 'EUR', amountMinor: 5n } as never },
        Code.InvalidArgument,
        'product.price.currency_code',
      ],
      ['negative stock', { stockOnHand: -1n }, Code.InvalidArgument, 'product.stock_on_hand'],
      ['an unknown tax class', { taxClass: 'luxury' }, Code.InvalidArgument, 'product.tax_class'],
      [
        'an unknown category',
        { categoryId: '00000000-0000-4000-8000-000000000000' },
        Code.InvalidArgument,
        'product.category_id',
      ],
    ])('rejects %s', async (_what, overrides, code, field) => {
      const before = await productCount();
      await expectRpcError(c.catalog.createProduct({ product: aProduct(cat, overrides) }, ADMIN), code, field);
      expect(await productCount()).toBe(before);
    });

    it('rejects a duplicate SKU with already_exists', async () => {
      const { product } = await c.catalog.createProduct({ product: aProduct(cat) }, ADMIN);
      const before = await productCount();
      await expectRpcError(
        c.catalog.createProduct({ product: aProduct(cat, { sku: product!.sku }) }, ADMIN),
        Code.AlreadyExists,
        'product.sku',
      );
      expect(await productCount()).toBe(before);
    });

    it('rejects an update that drops stock below the reserved units', async () => {
      const { product } = await c.catalog.createProduct({ product: aProduct(cat, { stockOnHand: 3n }) }, ADMIN);
      await c.inventory.reserveStock({
        orderId: crypto.randomUUID(),
        lines: [{ productId: product!.id, quantity: 2n }],
      });
      await expectRpcError(
        c.catalog.updateProduct({ id: product!.id, stockOnHand: 1n }, ADMIN),
        Code.FailedPrecondition,
        'stock_on_hand',
      );
      await expectRpcError(
        c.catalog.updateProduct({ id: product!.id, price: kes(0n) }, ADMIN),
        Code.InvalidArgument,
        'price.amount_minor',
      );
      expect((await c.catalog.getProduct({ id: product!.id })).product).toMatchObject({
        stockOnHand: 3n,
        stockAvailable: 1n,
      });
    });
  });

  describe('ListProducts', () => {
    let root: string;
    let child: string;
    const names = ['Alpha kettle', 'Bravo toaster', 'Charlie kettle', 'Delta mug', 'Echo kettle'];

    beforeAll(async () => {
      root = await aCategory(c);
      child = await aCategory(c, root);
      for (const [i, name] of names.entries()) {
        await c.catalog.createProduct(
          {
            product: aProduct(i % 2 === 0 ? root : child, {
              name,
              price: kes(BigInt((i + 1) * 100)),
              stockOnHand: i === 3 ? 0n : 5n,
              description: i === 4 ? 'stainless steel electric kettle' : 'kitchen item',
            }),
          },
          ADMIN,
        );
      }
      await c.catalog.createProduct({ product: aProduct(root, { name: 'Hidden kettle', active: false }) }, ADMIN);
    });

    const list = (req: Parameters<Catalog['catalog']['listProducts']>[0]) =>
      c.catalog.listProducts({ categoryId: root, includeDescendants: true, ...req });

    it('filters by category, with or without descendants', async () => {
      expect((await list({ includeDescendants: false })).products.map((p) => p.name)).toEqual([
        'Alpha kettle',
        'Charlie kettle',
        'Echo kettle',
      ]);
      expect((await list({})).products).toHaveLength(5);
    });

    it('filters by price range and in-stock', async () => {
      expect((await list({ minPriceMinor: 200n, maxPriceMinor: 400n })).products.map((p) => p.name)).toEqual([
        'Bravo toaster',
        'Charlie kettle',
        'Delta mug',
      ]);
      expect((await list({ inStockOnly: true })).products.map((p) => p.name)).not.toContain('Delta mug');
    });

    it('searches full text, ranking the best match first, and never lists inactive products', async () => {
      const res = await list({ query: 'electric kettle' });
      expect(res.products.map((p) => p.name)).toEqual(['Echo kettle']);
      const kettles = await list({ query: 'kettle' });
      expect(kettles.products.map((p) => p.name).sort()).toEqual(['Alpha kettle', 'Charlie kettle', 'Echo kettle']);
    });

    it('sorts by name, price both ways and newest', async () => {
      expect((await list({ sort: ProductSort.PRICE_DESC })).products.map((p) => p.price?.amountMinor)).toEqual([
        500n,
        400n,
        300n,
        200n,
        100n,
      ]);
      expect((await list({ sort: ProductSort.PRICE_ASC })).products.map((p) => p.price?.amountMinor)).toEqual([
        100n,
        200n,
        300n,
        400n,
        500n,
      ]);
      expect((await list({ sort: ProductSort.NEWEST })).products[0]!.name).toBe('Echo kettle');
      expect((await list({ sort: ProductSort.NAME })).products.map((p) => p.name)).toEqual(names);
    });

    it.each([ProductSort.NAME, ProductSort.PRICE_DESC, ProductSort.NEWEST])(
      'pages with a cursor without gaps or repeats (sort %s)',
      async (sort) => {
        const seen: string[] = [];
        let pageToken = '';
        do {
          const page = await list({ sort, pageSize: 2, pageToken });
          expect(page.products.length).toBeLessThanOrEqual(2);
          seen.push(...page.products.map((p) => p.name));
          pageToken = page.nextPageToken;
        } while (pageToken);
        expect(seen.sort()).toEqual([...names].sort());
      },
    );

    it('pages through relevance-ranked search results', async () => {
      const first = await list({ query: 'kettle', pageSize: 2 });
      const second = await list({ query: 'kettle', pageSize: 2, pageToken: first.nextPageToken });
      expect([...first.products, ...second.products].map((p) => p.name).sort()).toEqual([
        'Alpha kettle',
        'Charlie kettle',
        'Echo kettle',
      ]);
      expect(second.nextPageToken).toBe('');
    });

    it('refuses a cursor reused with different filters', async () => {
      const first = await list({ pageSize: 2 });
      await expectRpcError(
        list({ pageSize: 2, pageToken: first.nextPageToken, inStockOnly: true }),
        Code.InvalidArgument,
        'page_token',
      );
      await expect(list({ pageSize: 3, pageToken: first.nextPageToken })).resolves.toBeDefined();
    });

    it('populates only the fields of the field mask', async () => {
      const res = await list({ fieldMask: { paths: ['id', 'name', 'price'] } });
      const p = res.products[0]!;
      expect(p.id).not.toBe('');
      expect(p.price?.amountMinor).toBeGreaterThan(0n);
      expect([p.sku, p.description, p.categoryId, p.stockOnHand, p.createdAt]).toEqual(['', '', '', 0n, undefined]);
    });

    it.each([
      ['a page size over 100', { pageSize: 101 }, 'page_size'],
      ['a malformed cursor', { pageToken: 'not-a-cursor' }, 'page_token'],
      [
        'a cursor from another sort',
        {
          pageToken: Buffer.from(
            JSON.stringify({ s: 'price_asc', k: '1', i: '00000000-0000-4000-8000-000000000000' }),
          ).toString('base64url'),
        },
        'page_token',
      ],
      [
        'a forged cursor without the filter fingerprint',
        {
          pageToken: Buffer.from(
            JSON.stringify({ s: 'name', k: 'a', i: '00000000-0000-4000-8000-000000000000' }),
          ).toString('base64url'),
        },
        'page_token',
      ],
      [
        'a cursor with a bad key',
        {
          sort: ProductSort.PRICE_ASC,
          pageToken: Buffer.from(
            JSON.stringify({ s: 'price_asc', k: 'drop table', i: '00000000-0000-4000-8000-000000000000' }),
          ).toString('base64url'),
        },
        'page_token',
      ],
      ['an unknown field mask path', { fieldMask: { paths: ['name', 'secret'] } }, 'field_mask'],
      ['a negative min price', { minPriceMinor: -1n }, 'min_price_minor'],
    ])('rejects %s', async (_what, req, field) => {
      await expectRpcError(list(req as never), Code.InvalidArgument, field);
    });

    it('defaults to 20 per page', async () => {
      await c.catalog.bulkUploadProducts({ products: Array.from({ length: 25 }, () => aProduct(child)) }, ADMIN);
      const page = await list({});
      expect(page.products).toHaveLength(20);
      expect(page.nextPageToken).not.toBe('');
    });
  });
});
