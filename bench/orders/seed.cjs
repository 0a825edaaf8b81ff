// Creates the bench's category and product through the catalog's own admin RPCs and prints the product id.
// Usage: node bench/orders/seed.cjs <catalog-port> <stock>
const { createClient } = require('@connectrpc/connect');
const { createGrpcTransport } = require('@connectrpc/connect-node');
const { CatalogService } = require('@ordersystem/contracts/ordersystem/catalog/v1/catalog');

(async () => {
  const [port, stock] = process.argv.slice(2);
  const client = createClient(CatalogService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
  const headers = {
    'x-ordersystem-customer-id': '00000000-0000-4000-8000-0000000000ad',
    'x-ordersystem-email': 'admin@bench',
    'x-ordersystem-roles': 'admin',
  };
  const { category } = await client.createCategory({ name: 'Bench', slug: `bench-${Date.now()}` }, { headers });
  const { product } = await client.createProduct(
    {
      product: {
        sku: `BENCH-${Date.now()}`,
        name: 'Bench kettle',
        description: 'bench',
        categoryId: category.id,
        price: { currencyCode: 'KES', amountMinor: 249_900n },
        taxClass: 'standard',
        stockOnHand: BigInt(stock),
        active: true,
      },
    },
    { headers },
  );
  process.stdout.write(`${product.id}\n`);
})().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
