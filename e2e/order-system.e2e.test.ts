/**
 * The whole order system as separate processes on the real infrastructure, driven only through
 * the gateway's public HTTP/JSON API (fetch, no generated clients), as an outside client would.
 */
import { randomUUID } from 'node:crypto';
import { grpcHealthCheck, type OtlpReceiver, SpanKind, startOtlpReceiver } from '@ordersystem/testing';
import {
  aPhoneNumber,
  aProduct,
  createCategory,
  mailTo,
  placeOrder,
  setPhone,
  signIn,
  smsTo,
  stockAvailable,
  type User,
} from './fixtures.js';
import { CATALOG, ORDERS, PublicApi } from './harness/http-api.js';
import { scrape, total } from './harness/metrics.js';
import { eventually } from './harness/poll.js';
import { type RunningSystem, startSystem } from './harness/system.js';
import { causalPath, describeTrace, findSpan, hops } from './trace-graph.js';

// The global testTimeout (60 s) suits integration files; starting and driving five services needs more.
jest.setTimeout(180_000);

const adminEmail = `admin-${randomUUID().slice(0, 8)}@e2e.test`;
let otlp: OtlpReceiver;
let system: RunningSystem;
let admin: User;

beforeAll(async () => {
  otlp = await startOtlpReceiver();
  system = await startSystem({ adminEmails: [adminEmail], otlpEndpoint: otlp.url });
  admin = await signIn(system, adminEmail, 'E2E Admin');
}, 180_000);

afterAll(async () => {
  const codes = system ? await system.stop() : undefined;
  await otlp?.close();
  if (!codes) return; // beforeAll failed and said why
  expect(codes).toEqual({ gateway: 0, notifications: 0, orders: 0, catalog: 0, customers: 0 });
}, 60_000);

/** Pay on delivery confirms at placement by default (PAY_ON_DELIVERY_CONFIRMS); otherwise the admin confirms. */
async function confirmIfPending(order: { id: string; status: string }): Promise<void> {
  if (order.status === 'ORDER_STATUS_PENDING') await admin.api.post(ORDERS, 'ConfirmOrder', { id: order.id });
}

test('a customer logs in, shops, is notified, cancels, gets the order fulfilled, and cannot see other orders', async () => {
  // 1. log in through the local OIDC provider
  const alice = await signIn(system, `alice-${system.runId}@e2e.test`, 'Alice E2E');
  const bob = await signIn(system, `bob-${system.runId}@e2e.test`, 'Bob E2E');

  // 2. set a phone number
  const phone = aPhoneNumber();
  expect(await setPhone(alice, phone)).toMatchObject({ phoneNumber: phone, email: alice.email });

  // 3. as an admin, a 3-level category tree and a bulk upload
  const { electronics, computers, laptop, tablet, handset } = await anElectronicsTree();

  // 4. as a customer: the tree, the average price including descendants, a masked subtree listing
  const shopper = alice.api;
  const tree = await shopper.get<{ roots: TreeNode[] }>(CATALOG, 'GetCategoryTree', { rootId: electronics.id });
  expect(shape(tree.roots)).toEqual([
    {
      name: 'Electronics',
      level: 0,
      children: [
        {
          name: 'Computers',
          level: 1,
          children: [
            { name: 'Laptops', level: 2, children: [] },
            { name: 'Tablets', level: 2, children: [] },
          ],
        },
        { name: 'Phones', level: 1, children: [] },
      ],
    },
  ]);
  const stats = await shopper.get<Record<string, unknown>>(CATALOG, 'GetCategoryStats', { id: electronics.id });
  // (12345 + 250000 + 199999 + 45000 + 89990) / 5 = 119466.8 → 119467 minor units, exactly
  expect(stats).toMatchObject({
    categoryId: electronics.id,
    activeProductCount: '5',
    minPrice: { amountMinor: '12345' },
    maxPrice: { amountMinor: '250000' },
    averagePrice: { amountMinor: '119467' },
  });
  const listing = await shopper.get<{ products: Array<Record<string, unknown>> }>(CATALOG, 'ListProducts', {
    categoryId: computers.id,
    includeDescendants: true,
    sort: 'PRODUCT_SORT_PRICE_ASC',
    fieldMask: 'id,name,price',
  });
  expect(listing.products.map((p) => (p.price as { amountMinor: string }).amountMinor)).toEqual([
    '45000',
    '199999',
    '250000',
  ]);
  for (const product of listing.products) expect(Object.keys(product).sort()).toEqual(['id', 'name', 'price']);

  // 5. place an order
  const first = await placeOrder(alice, phone, [
    { productId: laptop.id, quantity: 2 },
    { productId: handset.id, quantity: 1 },
  ]);
  expect(first).toMatchObject({
    status: expect.stringMatching(/^ORDER_STATUS_(PENDING|CONFIRMED)$/),
    lines: expect.any(Array),
  });
  await confirmIfPending(first);

  // 6. the confirmation SMS reaches the customer and the order email reaches the admin
  const aboutFirst = async () => (await smsTo(system, phone)).filter((m) => m.body.includes(first.number));
  const confirmationSms = await eventually('confirmation SMS', async () =>
    (await aboutFirst()).find((m) => /confirmed/i.test(m.body)),
  );
  expect(confirmationSms.body).toContain(first.number);
  const adminMail = await eventually('admin email', async () =>
    (await mailTo(system, adminEmail)).find((m) => m.subject.includes(first.number)),
  );
  expect(adminMail.text).toContain(laptop.sku);

  // 7. cancel a second order and see its stock restored
  const before = await stockAvailable(shopper, tablet.id);
  const second = await placeOrder(alice, phone, [{ productId: tablet.id, quantity: 3 }]);
  expect(await stockAvailable(shopper, tablet.id)).toBe(before - 3);
  const { order: cancelled } = await alice.api.post<{ order: { status: string } }>(ORDERS, 'CancelOrder', {
    id: second.id,
    reason: 'changed my mind',
  });
  expect(cancelled.status).toBe('ORDER_STATUS_CANCELLED');
  await eventually('stock restored', async () =>
    (await stockAvailable(shopper, tablet.id)) === before ? true : undefined,
  );

  // 8. the admin ships and delivers the first order; the customer is told both times
  expect(
    (await admin.api.post<{ order: { status: string } }>(ORDERS, 'ShipOrder', { id: first.id })).order.status,
  ).toBe('ORDER_STATUS_SHIPPED');
  await eventually('shipped SMS', async () => (await aboutFirst()).find((m) => /shipped/i.test(m.body)));
  expect(
    (await admin.api.post<{ order: { status: string } }>(ORDERS, 'DeliverOrder', { id: first.id })).order.status,
  ).toBe('ORDER_STATUS_DELIVERED');
  await eventually('delivered SMS', async () => (await aboutFirst()).find((m) => /delivered/i.test(m.body)));

  // 9. another customer cannot see (or touch) the order: not_found, never the data
  await expect(bob.api.get(ORDERS, 'GetOrder', { id: first.id })).rejects.toMatchObject({
    code: 'not_found',
    status: 404,
  });
  await expect(bob.api.post(ORDERS, 'CancelOrder', { id: first.id })).rejects.toMatchObject({ code: 'not_found' });
  expect((await alice.api.get<{ order: { id: string } }>(ORDERS, 'GetOrder', { id: first.id })).order.id).toBe(
    first.id,
  );

  // Exactly once: by now every later event of the order has been delivered, so a duplicate
  // of the confirmation SMS or email would have arrived too.
  const sms = await aboutFirst();
  expect(sms.filter((m) => /confirmed/i.test(m.body))).toHaveLength(1);
  expect(sms.filter((m) => /shipped/i.test(m.body))).toHaveLength(1);
  expect(sms.filter((m) => /delivered/i.test(m.body))).toHaveLength(1);
  expect((await mailTo(system, adminEmail)).filter((m) => m.subject.includes(first.number))).toHaveLength(1);
  // Nor can the anonymous public, who may browse the catalog.
  await expect(new PublicApi(system.gatewayUrl).get(ORDERS, 'GetOrder', { id: first.id })).rejects.toMatchObject({
    code: 'unauthenticated',
  });
});

test('placing an order yields one trace, linked across the outbox, from the gateway to the SMS provider call', async () => {
  const startedAt = BigInt(Date.now()) * 1_000_000n;
  const { customer, phone, product } = await aShopWithACustomer('trace');
  const order = await placeOrder(customer, phone, [{ productId: product.id, quantity: 1 }]);
  await confirmIfPending(order);
  await eventually('confirmation SMS', async () =>
    (await smsTo(system, phone)).find((m) => m.body.includes(order.number)),
  );

  const recent = () => otlp.spans.filter((s) => BigInt(s.startTimeUnixNano) >= startedAt);
  const twilioPort = String(system.sms.port);
  // Walk back from each provider call (the HTTP POST to the Twilio endpoint) to its origin; one of
  // them must lead, hop by hop, to the gateway's PlaceOrder span of this order.
  const chain = await eventually(
    'a causal chain from the SMS provider call back to the gateway',
    () => {
      const spans = recent();
      const root = findSpan(spans, {
        service: 'gateway',
        name: 'ordersystem.orders.v1.OrderService/PlaceOrder',
        kind: 'SERVER',
      });
      const calls = spans.filter(
        (s) =>
          s.service === 'notifications' &&
          s.kind === SpanKind.CLIENT &&
          Object.values(s.attributes).some((v) => String(v).includes(twilioPort)),
      );
      return root && calls.map((call) => causalPath(spans, call, root)).find(Boolean);
    },
    { timeoutMs: 15_000, intervalMs: 250 },
  ).catch((err: Error) => {
    throw new Error(
      `${err.message}\n${describeTrace(recent().filter((s) => !/^(pg|pg-pool)\.|^(evalsha|multi|exec|incr|get|set)/.test(s.name)))}`,
    );
  });

  const path = hops(chain).reverse();
  const at = (pattern: RegExp) => path.findIndex((hop) => pattern.test(hop));
  // The synchronous part is ONE trace: gateway → orders → catalog (ReserveStock) …
  const root = chain[chain.length - 1]!;
  const inRoot = recent().filter((s) => s.traceId === root.traceId);
  expect(
    findSpan(inRoot, { service: 'orders', name: 'ordersystem.orders.v1.OrderService/PlaceOrder', kind: 'SERVER' }),
  ).toBeDefined();
  expect(
    findSpan(inRoot, {
      service: 'catalog',
      name: 'ordersystem.catalog.v1.InventoryService/ReserveStock',
      kind: 'SERVER',
    }),
  ).toBeDefined();
  // … and the asynchronous hops follow in causal order: the Kafka publish (outbox relay), the
  // notifications consume, and the provider call, each continuing or linking to the one before.
  expect(path[0]).toBe('gateway SERVER ordersystem.orders.v1.OrderService/PlaceOrder');
  // The gateway's RPC span sits in its HTTP request span (request-span.ts), the trace's first span.
  const request = inRoot.find((s) => s.traceId === root.traceId && s.spanId === root.parentSpanId);
  expect(request).toMatchObject({ service: 'gateway', name: 'POST', kind: SpanKind.SERVER });
  expect(request?.attributes).toMatchObject({
    'url.path': '/ordersystem.orders.v1.OrderService/PlaceOrder',
    'http.response.status_code': 200,
  });
  expect(at(/^orders SERVER .*PlaceOrder$/)).toBeGreaterThan(0);
  expect(at(/^orders PRODUCER /)).toBeGreaterThan(at(/^orders SERVER .*PlaceOrder$/));
  expect(at(/^notifications CONSUMER /)).toBeGreaterThan(at(/^orders PRODUCER /));
  expect(path[path.length - 1]).toMatch(/^notifications CLIENT /);
  expect(at(/^notifications CLIENT /)).toBeGreaterThan(at(/^notifications CONSUMER /));
});

test('after the flow every service exports its RPC counters, and notifications its consumer lag and sends', async () => {
  const { customer, phone, product } = await aShopWithACustomer('metrics');
  const order = await placeOrder(customer, phone, [{ productId: product.id, quantity: 1 }]);
  await confirmIfPending(order);
  await eventually('confirmation SMS', async () =>
    (await smsTo(system, phone)).find((m) => m.body.includes(order.number)),
  );
  // Nothing in the flow calls notifications over RPC (its only API is the internal admin one), so
  // probe its gRPC health the way Kubernetes would: that too must be counted.
  expect(await grpcHealthCheck(`127.0.0.1:${system.services.notifications.port}`)).toBe('SERVING');

  const ok = { code: 'ok' };
  const s = system.services;
  const gateway = await scrape(s.gateway.opsPort);
  expect(
    total(gateway, 'rpc_server_requests_total', {
      ...ok,
      service: 'ordersystem.orders.v1.OrderService',
      method: 'PlaceOrder',
    }),
  ).toBeGreaterThanOrEqual(1);
  const customers = await scrape(s.customers.opsPort);
  expect(total(customers, 'rpc_server_requests_total', { ...ok, method: 'UpdateMe' })).toBeGreaterThanOrEqual(1);
  expect(total(customers, 'rpc_server_requests_total', { ...ok, method: 'GetContact' })).toBeGreaterThanOrEqual(1);
  expect(
    total(await scrape(s.catalog.opsPort), 'rpc_server_requests_total', { ...ok, method: 'ReserveStock' }),
  ).toBeGreaterThanOrEqual(1);
  expect(
    total(await scrape(s.orders.opsPort), 'rpc_server_requests_total', { ...ok, method: 'PlaceOrder' }),
  ).toBeGreaterThanOrEqual(1);
  const notifications = await eventually('consumer lag back to 0', async () => {
    const samples = await scrape(s.notifications.opsPort);
    const lag = samples.filter(
      (x) => x.name === 'notifications_consumer_lag' && x.labels.topic === system.topics.orderEvents,
    );
    return lag.length > 0 && lag.every((x) => x.value === 0) ? samples : undefined;
  });
  expect(total(notifications, 'rpc_server_requests_total', { ...ok, method: 'Check' })).toBeGreaterThanOrEqual(1);
  expect(total(notifications, 'notifications_sent_total', { channel: 'sms' })).toBeGreaterThanOrEqual(1);
  expect(total(notifications, 'notifications_sent_total', { channel: 'email' })).toBeGreaterThanOrEqual(1);
});

/**
 * Electronics › {Computers › {Laptops, Tablets}, Phones}, plus an unrelated root, and products
 * uploaded in one bulk call: five active ones in the Electronics tree (one at each level), one
 * inactive laptop, and one product in the other tree (the last two must not count anywhere).
 */
async function anElectronicsTree() {
  const electronics = await createCategory(admin, 'Electronics');
  const computers = await createCategory(admin, 'Computers', electronics.id);
  const phones = await createCategory(admin, 'Phones', electronics.id);
  const laptops = await createCategory(admin, 'Laptops', computers.id);
  const tablets = await createCategory(admin, 'Tablets', computers.id);
  const elsewhere = await createCategory(admin, 'Garden');
  const { created } = await admin.api.post<{ created: Product[] }>(CATALOG, 'BulkUploadProducts', {
    products: [
      aProduct(electronics.id, 12_345),
      aProduct(laptops.id, 250_000, { stockOnHand: '10' }),
      aProduct(laptops.id, 199_999),
      aProduct(tablets.id, 45_000, { stockOnHand: '7' }),
      aProduct(phones.id, 89_990),
      aProduct(laptops.id, 999_999, { active: false }),
      aProduct(elsewhere.id, 1),
    ],
  });
  expect(created).toHaveLength(7);
  return { electronics, computers, laptop: created[1]!, tablet: created[3]!, handset: created[4]! };
}

interface Product {
  id: string;
  sku: string;
}

interface TreeNode {
  category: { name: string; level?: number };
  children?: TreeNode[];
}

function shape(nodes: TreeNode[] = []): unknown[] {
  return nodes.map((n) => ({ name: n.category.name, level: n.category.level ?? 0, children: shape(n.children) }));
}

/** A customer with a phone number and one product in a fresh category, for the tests that need just that. */
async function aShopWithACustomer(label: string) {
  const customer = await signIn(system, `${label}-${randomUUID().slice(0, 8)}@e2e.test`, `${label} customer`);
  const phone = aPhoneNumber();
  await setPhone(customer, phone);
  const category = await createCategory(admin, `${label} shelf`);
  const { created } = await admin.api.post<{ created: Array<{ id: string }> }>(CATALOG, 'BulkUploadProducts', {
    products: [aProduct(category.id, 5_000)],
  });
  return { customer, phone, product: created[0]! };
}
