import { randomBytes, randomUUID } from 'node:crypto';
import { type Client, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  OrderService,
  PaymentMethod,
  type PlaceOrderRequestSchema,
} from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { identityHeaders } from '@ordersystem/platform';
import { admin, type InfraEnv, infraEnv, startServiceOnFreshSchema } from '@ordersystem/testing';
import { Client as PgClient } from 'pg';

type Running = Awaited<ReturnType<typeof startServiceOnFreshSchema>>;

export const grpc = (port: number) => createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` });

/** Call options carrying a user's identity, as the gateway would set them. */
export const as = (user: { id: string; email?: string; admin?: boolean }) => ({
  headers: identityHeaders({
    customerId: user.id,
    email: user.email ?? `${user.id}@example.test`,
    roles: user.admin ? ['admin'] : ['customer'],
  }),
});

export const ADMIN = { id: randomUUID(), admin: true };

/** The real catalog and customers processes the orders service talks to, each on a fresh schema. */
export interface Upstreams {
  infra: InfraEnv;
  catalog: Running;
  customers: Running;
  catalogClient: Client<typeof CatalogService>;
  stop(): Promise<void>;
}

export async function startUpstreams(): Promise<Upstreams> {
  const infra = infraEnv();
  const [catalog, customers] = await Promise.all([
    startServiceOnFreshSchema(infra, 'catalog', {
      REDIS_URL: infra.redisUrl,
      CACHE_PREFIX: `orders-test-${randomBytes(4).toString('hex')}`,
    }),
    startServiceOnFreshSchema(infra, 'customers', {}),
  ]);
  return {
    infra,
    catalog,
    customers,
    catalogClient: createClient(CatalogService, grpc(catalog.svc.port)),
    stop: async () => void (await Promise.allSettled([catalog.stop(), customers.stop()])),
  };
}

/** The orders process under test, wired to the given upstreams and a unique events topic. */
export async function startOrders(up: Upstreams, env: Record<string, string> = {}) {
  const topic = `orders-test-${randomBytes(5).toString('hex')}`;
  const orders = await startServiceOnFreshSchema(up.infra, 'orders', {
    CATALOG_URL: `http://127.0.0.1:${up.catalog.svc.port}`,
    CUSTOMERS_URL: `http://127.0.0.1:${up.customers.svc.port}`,
    KAFKA_BROKERS: up.infra.kafkaBrokers.join(','),
    ORDER_EVENTS_TOPIC: topic,
    OUTBOX_POLL_MS: '200',
    CATALOG_TASK_POLL_MS: '200',
    ...env,
  });
  return { ...orders, topic, client: createClient(OrderService, grpc(orders.svc.port)) };
}

/**
 * The usual stack of a test file: customers and catalog, then orders with `env`, started before its
 * tests and stopped after them. Read `up` and `orders` inside tests (they exist once beforeAll ran).
 */
export function ordersStack(env: Record<string, string> = {}) {
  const stack = {} as { up: Upstreams; orders: Awaited<ReturnType<typeof startOrders>> };
  beforeAll(async () => {
    stack.up = await startUpstreams();
    stack.orders = await startOrders(stack.up, env);
  });
  afterAll(async () => {
    await stack.orders?.stop();
    await stack.up?.stop();
  });
  return stack;
}

/**
 * A customer with a profile in the customers service. Its only way to create one is an OIDC
 * login, so test set-up inserts the row into THIS test's fresh customers schema directly.
 */
export async function aCustomer(up: Upstreams, over: { name?: string; phone?: string } = {}) {
  const id = randomUUID();
  const email = `c-${id.slice(0, 8)}@example.test`;
  await admin(
    up.infra,
    `insert into ${up.customers.schema}.customers (id, issuer, subject, email, name, phone_number) values ($1::uuid, 'test', $1::text, $2, $3, $4)`,
    [id, email, over.name ?? 'Wanjiru Kamau', over.phone ?? '+254712345678'],
  );
  return { id, email };
}

let category: Promise<string> | undefined;
let categoryOwner: Upstreams | undefined;

/** A product created through the catalog's own admin RPCs. */
export async function aProduct(
  up: Upstreams,
  over: { priceMinor?: bigint; stock?: bigint; taxClass?: string; active?: boolean } = {},
) {
  if (categoryOwner !== up) {
    categoryOwner = up;
    const slug = `orders-${randomBytes(4).toString('hex')}`;
    category = up.catalogClient.createCategory({ name: 'Orders tests', slug }, as(ADMIN)).then((r) => r.category!.id);
  }
  const sku = `SKU-${randomBytes(5).toString('hex')}`;
  const res = await up.catalogClient.createProduct(
    {
      product: {
        sku,
        name: `Product ${sku}`,
        description: 'test product',
        price: { currencyCode: 'KES', amountMinor: over.priceMinor ?? 10_000n },
        categoryId: await category!,
        taxClass: over.taxClass ?? 'standard',
        stockOnHand: over.stock ?? 100n,
        active: over.active ?? true,
      },
    },
    as(ADMIN),
  );
  return res.product!;
}

/** On-hand and available stock as the catalog reports it now. */
export async function stockOf(up: Upstreams, productId: string) {
  const { product } = await up.catalogClient.getProduct({ id: productId });
  return { onHand: product!.stockOnHand, available: product!.stockAvailable };
}

import { ADDRESS } from './address';

export { ADDRESS };

export function anOrderRequest(
  lines: Array<{ productId: string; quantity: bigint }>,
  over: { note?: string; idempotencyKey?: string } = {},
) {
  return {
    lines,
    deliveryAddress: { ...ADDRESS },
    note: '',
    idempotencyKey: randomUUID(),
    paymentMethod: PaymentMethod.PAY_ON_DELIVERY,
    ...over,
  } satisfies MessageInitShape<typeof PlaceOrderRequestSchema>;
}

/** Row counts in a test's orders schema (to prove that a refused request wrote nothing). */
export async function countRows(up: Upstreams, schema: string): Promise<Record<string, number>> {
  const client = new PgClient({ connectionString: up.infra.adminUrl });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of [
      'orders',
      'order_lines',
      'order_status_history',
      'outbox',
      'catalog_tasks',
      'pending_reservations',
    ]) {
      const res = await client.query<{ n: number }>(`select count(*)::int as n from ${schema}.${table}`);
      counts[table] = res.rows[0]!.n;
    }
    return counts;
  } finally {
    await client.end();
  }
}

/** Polls until `check` stops throwing (for effects that happen after the response, e.g. a retried task). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** `n` customers in one statement (same test-only shortcut as aCustomer). */
export async function manyCustomers(up: Upstreams, n: number): Promise<Array<{ id: string }>> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await admin(
    up.infra,
    `insert into ${up.customers.schema}.customers (id, issuer, subject, email, name, phone_number)
     select id, 'test', id::text, 'c-' || id || '@example.test', 'Customer', '' from unnest($1::uuid[]) as id`,
    [ids],
  );
  return ids.map((id) => ({ id }));
}
