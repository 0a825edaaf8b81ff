#!/usr/bin/env node
/**
 * Loads a small demo shop through the public API, as any client would: a nested category tree,
 * a few dozen products with stock and prices in the catalog currency, one demo customer with a
 * phone number and orders in different states. Idempotent: a catalog that already has categories
 * is left alone, so running it again (or on a system in use) changes nothing.
 *
 *   node scripts/seed/demo-shop.mjs <gateway URL> <admin email> [customer email]
 *
 * Sign-in goes through the gateway's /auth/login and the local OpenID provider's form (the
 * development provider, which accepts any email), headless.
 */
import { randomUUID } from 'node:crypto';
// The same headless login the end-to-end tests use (built by npm run build, before the seed runs).
import { devLogin } from '@ordersystem/dev-sinks/dist/dev-login.js';

const [
  gateway = 'http://127.0.0.1:8080',
  adminEmail = 'admin@example.test',
  customerEmail = 'demo.customer@example.test',
] = process.argv.slice(2);
const CUSTOMER_PHONE = '+254712345678';

/** Category tree: name → children (or a list of products as [name, price in major units, stock]). */
const SHOP = {
  'Home & Garden': {
    Garden: {
      'Hand tools': [
        ['Trowel', 850, 40],
        ['Pruning shears', 1450, 25],
        ['Garden fork', 2300, 12],
        ['Hoe', 1900, 3],
        ['Watering can 10 l', 1200, 30],
      ],
      Seeds: [
        ['Tomato seeds', 150, 200],
        ['Sukuma wiki seeds', 100, 300],
        ['Coriander seeds', 120, 4],
      ],
    },
    Kitchen: {
      Cookware: [
        ['Sufuria set (3)', 3200, 15],
        ['Cast-iron pan', 4100, 8],
        ['Pressure cooker 6 l', 6500, 2],
      ],
      Tableware: [
        ['Enamel mug', 350, 120],
        ['Dinner plates (6)', 1800, 20],
        ['Serving bowl', 950, 18],
      ],
    },
  },
  Electronics: {
    Phones: {
      Smartphones: [
        ['Android phone 64 GB', 14500, 10],
        ['Android phone 128 GB', 21999.5, 6],
        ['Feature phone', 2499, 35],
      ],
      Accessories: [
        ['USB-C charger 20 W', 1299, 50],
        ['Phone case', 499, 80],
        ['Power bank 10000 mAh', 2799, 1],
        ['Screen protector', 299, 150],
      ],
    },
    Audio: {
      Headphones: [
        ['Wired earphones', 599, 60],
        ['Bluetooth headphones', 4999, 14],
      ],
      Speakers: [
        ['Portable speaker', 3499, 9],
        ['Radio with solar panel', 2899, 22],
      ],
    },
  },
  Books: {
    Fiction: [
      ['Novel, paperback', 1100, 25],
      ['Short stories', 900, 4],
    ],
    'Non-fiction': [
      ['Cookbook', 1600, 12],
      ['Gardening guide', 1400, 7],
    ],
  },
};

const log = (msg) => process.stdout.write(`[seed] ${msg}\n`);

/** One Connect unary call over HTTP/JSON. */
async function call(token, service, method, body) {
  const res = await fetch(`${gateway}/ordersystem.${service}/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'connect-protocol-version': '1',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method}: ${json.code}: ${json.message}`);
  return json;
}

/** Signs in, trying again a few times: right after start-up a loaded machine may time the first login out. */
async function login(email, name) {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await devLogin(gateway, email, name)).access_token;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

const slugOf = (name) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** Creates the tree; returns the leaf categories with their products. */
async function createTree(admin, tree, parentId = '', leaves = []) {
  for (const [name, below] of Object.entries(tree)) {
    const { category } = await call(admin, 'catalog.v1.CatalogService', 'CreateCategory', {
      name,
      slug: `demo-${slugOf(name)}`,
      parentId,
    });
    if (Array.isArray(below)) leaves.push({ id: category.id, products: below });
    else await createTree(admin, below, category.id, leaves);
  }
  return leaves;
}

async function main() {
  const admin = await login(adminEmail, 'Demo Admin');
  const { roots = [] } = await call(admin, 'catalog.v1.CatalogService', 'GetCategoryTree', {});
  if (roots.length > 0) {
    log('the catalog already has categories: demo shop not loaded (it loads only into an empty system)');
    return;
  }
  const leaves = await createTree(admin, SHOP);
  const stats = await call(admin, 'catalog.v1.CatalogService', 'GetCategoryStats', { id: leaves[0].id });
  const currencyCode = stats.currencyCode;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: currencyCode }).resolvedOptions()
    .maximumFractionDigits;
  const products = leaves.flatMap((leaf) =>
    leaf.products.map(([name, major, stock], i) => ({
      sku: `DEMO-${slugOf(name).toUpperCase().slice(0, 24)}-${i + 1}`,
      name,
      description: `${name} from the demo shop.`,
      price: { currencyCode, amountMinor: String(Math.round(major * 10 ** digits)) },
      categoryId: leaf.id,
      taxClass: 'standard',
      stockOnHand: String(stock),
      active: true,
    })),
  );
  const { created } = await call(admin, 'catalog.v1.CatalogService', 'BulkUploadProducts', { products });
  log(`${leaves.length} leaf categories and ${created.length} products in ${currencyCode}`);

  const customer = await login(customerEmail, 'Demo Customer');
  await call(customer, 'customers.v1.CustomerService', 'UpdateMe', { phoneNumber: CUSTOMER_PHONE });
  const address = {
    recipientName: 'Demo Customer',
    line1: '12 Moi Avenue',
    city: 'Nairobi',
    postalCode: '00100',
    countryCode: 'KE',
    phoneNumber: CUSTOMER_PHONE,
  };
  const place = async (items) =>
    (
      await call(customer, 'orders.v1.OrderService', 'PlaceOrder', {
        lines: items.map(([index, quantity]) => ({ productId: created[index].id, quantity: String(quantity) })),
        deliveryAddress: address,
        idempotencyKey: randomUUID(),
        paymentMethod: 'PAYMENT_METHOD_PAY_ON_DELIVERY',
      })
    ).order;
  const move = async (order, method, reason) =>
    (await call(admin, 'orders.v1.OrderService', method, { id: order.id, reason })).order;
  const confirmed = async (order) =>
    order.status === 'ORDER_STATUS_PENDING' ? move(order, 'ConfirmOrder', '') : order;

  const delivered = await confirmed(
    await place([
      [0, 1],
      [5, 4],
    ]),
  );
  await move(await move(delivered, 'ShipOrder', 'courier: demo logistics'), 'DeliverOrder', 'left at the door');
  const shipped = await confirmed(
    await place([
      [14, 1],
      [17, 2],
    ]),
  );
  await move(shipped, 'ShipOrder', 'courier: demo logistics');
  await place([[8, 1]]);
  log(`demo customer ${customerEmail} (${CUSTOMER_PHONE}) with 3 orders: delivered, shipped and one waiting to ship`);
}

main().catch((err) => {
  process.stderr.write(`[seed] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
