/**
 * Card payments end to end: every service a real process, the gateway's public API and its
 * POST /webhooks/stripe, localstripe (started by scripts/infra) as Stripe, PostgreSQL and Kafka.
 * The test pays the way Stripe.js would, against localstripe with the run's key; localstripe sends
 * its signed webhooks to this run's gateway.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import Stripe from 'stripe';
import {
  aPhoneNumber,
  aProduct,
  createCategory,
  mailTo,
  setPhone,
  signIn,
  smsTo,
  stockAvailable,
  type User,
  anAddress,
} from './fixtures.js';
import { ApiError, CATALOG, ORDERS } from './harness/http-api.js';
import { scrape, total } from './harness/metrics.js';
import { eventually } from './harness/poll.js';
import { type RunningSystem, startSystem } from './harness/system.js';

jest.setTimeout(180_000);

const STRIPE_API_BASE = process.env.STRIPE_API_BASE ?? '';
const SECRET_KEY = process.env.STRIPE_SECRET_KEY ?? '';
const WEBHOOK_SECRET = process.env.STRIPE_WEBHOOK_SECRET ?? '';
const adminEmail = `admin-${randomUUID().slice(0, 8)}@e2e.test`;

interface CardOrder {
  id: string;
  number: string;
  status: string;
  total: { amountMinor: string; currencyCode: string };
  payment: {
    state: string;
    provider?: string;
    reference?: string;
    amountPaid?: { amountMinor?: string };
    refunded?: { amountMinor?: string };
    failureReason?: string;
    refundReference?: string;
  };
  updatedAt: string;
}

let system: RunningSystem;
let admin: User;
let shopper: User;
let phone: string;
let productId: string;
let db: Client;
let webhookId: string;

beforeAll(async () => {
  if (!STRIPE_API_BASE || !SECRET_KEY || !WEBHOOK_SECRET) {
    throw new Error('STRIPE_API_BASE, STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET missing: run scripts/infra up');
  }
  system = await startSystem({
    adminEmails: [adminEmail],
    // The workers look often; thresholds stay at their defaults, and tests age rows to reach them.
    extraEnv: { orders: { PAYMENT_WORKER_POLL_MS: '300' } },
  });
  webhookId = `e2e-${system.runId}`;
  await configureWebhook(true);
  admin = await signIn(system, adminEmail, 'E2E Admin');
  shopper = await signIn(system, `card-${system.runId}@e2e.test`, 'Card Shopper');
  phone = aPhoneNumber();
  await setPhone(shopper, phone);
  const category = await createCategory(admin, 'Card goods');
  const { product } = await admin.api.post<{ product: { id: string } }>(CATALOG, 'CreateProduct', {
    product: aProduct(category.id, 50_000, { stockOnHand: '100' }),
  });
  productId = product.id;
  db = new Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await configureWebhook(false).catch(() => undefined);
  await db?.end();
  const codes = system ? await system.stop() : undefined;
  if (!codes) return;
  expect(codes).toEqual({ gateway: 0, notifications: 0, orders: 0, catalog: 0, customers: 0 });
}, 60_000);

/** Points localstripe's webhook for this run at our gateway, or (off) at no event type at all. */
async function configureWebhook(on: boolean): Promise<void> {
  const form = new URLSearchParams({ url: `${system.gatewayUrl}/webhooks/stripe`, secret: WEBHOOK_SECRET });
  if (!on) form.append('events[]', 'ordersystem.test.none');
  const res = await fetch(`${STRIPE_API_BASE}/_config/webhooks/${webhookId}`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
}

/** What localstripe answers: an object, or a list of them in `data`. */
type StripeJson = Record<string, unknown> & { status?: string; data?: Array<Record<string, unknown>> };

/** Calls localstripe's API as Stripe.js would for the customer (JSON bodies, which localstripe accepts). */
async function stripeApi(path: string, body?: Record<string, unknown>): Promise<{ status: number; json: StripeJson }> {
  const res = await fetch(`${STRIPE_API_BASE}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as StripeJson };
}

/**
 * The customer pays with a Stripe test payment method. localstripe's confirm cannot take a new
 * payment method (it answers "Not implemented"), and cannot confirm again after a failed charge;
 * so the method is set first, and for a second attempt the failed charge is cleared, through
 * localstripe's generic update: the stand-in for Stripe.js confirming again with another card.
 */
async function pay(reference: string, paymentMethod: string, retry = false): Promise<number> {
  await stripeApi(`/v1/payment_intents/${reference}`, {
    payment_method: paymentMethod,
    ...(retry ? { latest_charge: null } : {}),
  });
  return (await stripeApi(`/v1/payment_intents/${reference}/confirm`, {})).status;
}

async function placeCardOrder(quantity = 1, key = randomUUID()): Promise<{ order: CardOrder; secret: string }> {
  const res = await shopper.api.post<{ order: CardOrder; paymentClientSecret: string }>(ORDERS, 'PlaceOrder', {
    lines: [{ productId, quantity: String(quantity) }],
    deliveryAddress: anAddress(phone),
    idempotencyKey: key,
    paymentMethod: 'PAYMENT_METHOD_CARD',
  });
  return { order: res.order, secret: res.paymentClientSecret };
}

async function getOrder(id: string): Promise<CardOrder> {
  return (await shopper.api.post<{ order: CardOrder }>(ORDERS, 'GetOrder', { id })).order;
}

const orderWhere = (id: string, ok: (o: CardOrder) => boolean) =>
  eventually(`order ${id} to change`, async () => {
    const order = await getOrder(id);
    return ok(order) ? order : undefined;
  });

const ordersTable = () => `${system.schemas.orders.schema}.orders`;
const outbox = () => `${system.schemas.orders.schema}.outbox`;

async function eventsOf(orderId: string, type: string): Promise<number> {
  const { rows } = await db.query(
    `select count(*)::int as n from ${outbox()} where order_id = $1 and event_type = $2`,
    [orderId, type],
  );
  return rows[0].n as number;
}

/** Makes an order look placed (and last touched) long ago, so the time-based workers take it now. */
async function age(orderId: string, columns: Array<'created_at' | 'updated_at'>): Promise<void> {
  const set = columns.map((c) => `${c} = ${c} - interval '3 hours'`).join(', ');
  await db.query(`update ${ordersTable()} set ${set} where id = $1`, [orderId]);
}

/** A webhook body as Stripe sends it, for the checks on signatures and replays. */
function eventBody(id: string, type: string, order: CardOrder, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: order.payment.reference,
        object: 'payment_intent',
        amount: Number(order.total.amountMinor),
        currency: order.total.currencyCode.toLowerCase(),
        metadata: { order_id: order.id },
        status: 'requires_payment_method',
        last_payment_error: { code: 'card_declined', message: 'Declined by a signed test event' },
        ...overrides,
      },
    },
  });
}

async function postWebhook(body: string, signature?: string): Promise<{ status: number; json: { outcome?: string } }> {
  const res = await fetch(`${system.gatewayUrl}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
    body,
  });
  return { status: res.status, json: (await res.json()) as { outcome?: string } };
}

const sign = (payload: string, timestamp?: number, secret = WEBHOOK_SECRET) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

test('a card order is confirmed by its signed webhook; the customer gets one SMS and the admin one email', async () => {
  const before = await stockAvailable(shopper.api, productId);
  const { order, secret } = await placeCardOrder(2);
  expect(order).toMatchObject({
    status: 'ORDER_STATUS_PENDING',
    paymentMethod: 'PAYMENT_METHOD_CARD',
    payment: { state: 'PAYMENT_STATE_REQUIRES_PAYMENT', provider: 'stripe', reference: expect.stringMatching(/^pi_/) },
  });
  expect(secret.startsWith(`${order.payment.reference}_secret_`)).toBe(true);
  expect(await stockAvailable(shopper.api, productId)).toBe(before - 2);
  const intent = await stripeApi(`/v1/payment_intents/${order.payment.reference}`);
  expect(intent.json).toMatchObject({ amount: Number(order.total.amountMinor), currency: 'kes' });

  expect(await pay(order.payment.reference!, 'pm_card_visa')).toBe(200);
  const paid = await orderWhere(order.id, (o) => o.status === 'ORDER_STATUS_CONFIRMED');
  expect(paid.payment).toMatchObject({
    state: 'PAYMENT_STATE_PAID',
    amountPaid: { amountMinor: order.total.amountMinor },
  });

  const sms = await eventually('confirmation SMS', async () => {
    const about = (await smsTo(system, phone)).filter((m) => m.body.includes(order.number) && /confirmed/.test(m.body));
    return about.length > 0 ? about : undefined;
  });
  const mail = await eventually('admin email', async () => {
    const about = (await mailTo(system, adminEmail)).filter((m) => m.subject.includes(order.number));
    return about.length > 0 ? about : undefined;
  });
  expect(await eventsOf(order.id, 'OrderConfirmed')).toBe(1);
  expect(sms).toHaveLength(1);
  expect(mail).toHaveLength(1);
  // The reservation was committed: the stock stays down by the two units sold.
  expect(await stockAvailable(shopper.api, productId)).toBe(before - 2);
});

test('a declined card leaves the order pending with the reason; a second attempt on the same order succeeds', async () => {
  const { order } = await placeCardOrder();
  expect(await pay(order.payment.reference!, 'pm_card_chargeCustomerFail')).toBe(402);
  const declined = await orderWhere(order.id, (o) => o.payment.state === 'PAYMENT_STATE_FAILED');
  expect(declined.status).toBe('ORDER_STATUS_PENDING');
  expect(declined.payment.failureReason).toBe('Your card was declined.');

  expect(await pay(order.payment.reference!, 'pm_card_visa', true)).toBe(200);
  const paid = await orderWhere(order.id, (o) => o.status === 'ORDER_STATUS_CONFIRMED');
  expect(paid.payment.state).toBe('PAYMENT_STATE_PAID');
  expect(paid.payment.failureReason ?? '').toBe(''); // the last failure is cleared once paid
});

test('webhooks unsigned, badly signed, stale or tampered with are refused with 400; a replayed event changes nothing', async () => {
  const { order } = await placeCardOrder();
  const failuresBefore = total(
    await scrape(system.services.gateway.opsPort),
    'gateway_webhook_verification_failures_total',
  );
  const body = eventBody(`evt_${randomUUID().replace(/-/g, '')}`, 'payment_intent.payment_failed', order);

  expect((await postWebhook(body)).status).toBe(400);
  expect((await postWebhook(body, sign(body, undefined, 'whsec_not_the_secret'))).status).toBe(400);
  expect((await postWebhook(body, sign(body, Math.floor(Date.now() / 1000) - 3_600))).status).toBe(400);
  const tampered = body.replace('Declined by a signed test event', 'Declined, edited on the way');
  expect((await postWebhook(tampered, sign(body))).status).toBe(400);
  // A signed success for another amount is not payment: refused and logged for an operator.
  const short = eventBody(`evt_${randomUUID().replace(/-/g, '')}`, 'payment_intent.succeeded', order, {
    status: 'succeeded',
    amount: 1,
    last_payment_error: null,
  });
  expect(await postWebhook(short, sign(short))).toMatchObject({ status: 200, json: { outcome: 'ignored' } });

  const unchanged = await getOrder(order.id);
  expect(unchanged).toMatchObject({ status: 'ORDER_STATUS_PENDING', updatedAt: order.updatedAt });
  expect(unchanged.payment.state).toBe('PAYMENT_STATE_REQUIRES_PAYMENT');
  const gatewayMetrics = await scrape(system.services.gateway.opsPort);
  expect(total(gatewayMetrics, 'gateway_webhook_verification_failures_total')).toBe(failuresBefore + 4);
  for (const reason of ['unsigned', 'bad_signature', 'stale'])
    expect(total(gatewayMetrics, 'gateway_webhook_verification_failures_total', { reason })).toBeGreaterThan(0);
  expect(total(await scrape(system.services.orders.opsPort), 'orders_payments_total', { outcome: 'mismatch' })).toBe(1);
  expect(
    system.services.orders.logs.some(
      (l) => l.alert === 'payment_mismatch' && ['error', 50].includes(l.level as string),
    ),
  ).toBe(true);

  // Delivered, then delivered again (as Stripe redelivers: same event, fresh signature).
  expect(await postWebhook(body, sign(body))).toMatchObject({ status: 200, json: { outcome: 'applied' } });
  const failed = await getOrder(order.id);
  expect(failed.payment).toMatchObject({
    state: 'PAYMENT_STATE_FAILED',
    failureReason: 'Declined by a signed test event',
  });
  expect(await postWebhook(body, sign(body))).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
  expect(await getOrder(order.id)).toEqual(failed);
});

test('a lost webhook cannot leave the order stuck: reconciliation asks Stripe and confirms it', async () => {
  const { order } = await placeCardOrder();
  await configureWebhook(false);
  try {
    expect(await pay(order.payment.reference!, 'pm_card_visa')).toBe(200);
    expect((await stripeApi(`/v1/payment_intents/${order.payment.reference}`)).json.status).toBe('succeeded');
    const before = total(
      await scrape(system.services.orders.opsPort),
      'orders_payment_reconciliation_corrections_total',
    );
    await age(order.id, ['updated_at']);
    const confirmed = await orderWhere(order.id, (o) => o.status === 'ORDER_STATUS_CONFIRMED');
    expect(confirmed.payment.state).toBe('PAYMENT_STATE_PAID');
    // The reconciler counts a correction just after its commit: wait for the count, don't race it.
    const after = await eventually('the correction to be counted', async () => {
      const n = total(await scrape(system.services.orders.opsPort), 'orders_payment_reconciliation_corrections_total');
      return n > before ? n : undefined;
    });
    expect(after).toBe(before + 1);
    expect(await eventsOf(order.id, 'OrderConfirmed')).toBe(1);
  } finally {
    await configureWebhook(true);
  }
});

test('an order unpaid past PAYMENT_TIMEOUT is cancelled: stock back, PaymentIntent cancelled', async () => {
  const before = await stockAvailable(shopper.api, productId);
  const { order } = await placeCardOrder(3);
  expect(await stockAvailable(shopper.api, productId)).toBe(before - 3);
  await age(order.id, ['created_at']);
  const cancelled = await orderWhere(order.id, (o) => o.status === 'ORDER_STATUS_CANCELLED');
  expect(cancelled.payment.state).toBe('PAYMENT_STATE_CANCELED');
  expect((await stripeApi(`/v1/payment_intents/${order.payment.reference}`)).json.status).toBe('canceled');
  await eventually('stock released', async () =>
    (await stockAvailable(shopper.api, productId)) === before ? true : undefined,
  );
  const sms = await eventually('cancellation SMS', async () =>
    (await smsTo(system, phone)).find((m) => m.body.includes(order.number) && /cancelled/.test(m.body)),
  );
  expect(sms.body).not.toContain('refund');
});

test('a paid order that is cancelled is refunded once, even when the cancel is retried', async () => {
  const before = await stockAvailable(shopper.api, productId);
  const { order } = await placeCardOrder(2);
  await pay(order.payment.reference!, 'pm_card_visa');
  await orderWhere(order.id, (o) => o.status === 'ORDER_STATUS_CONFIRMED');

  const { order: cancelled } = await shopper.api.post<{ order: CardOrder }>(ORDERS, 'CancelOrder', {
    id: order.id,
    reason: 'found it cheaper',
  });
  expect(cancelled.status).toBe('ORDER_STATUS_CANCELLED');
  const refunded = await orderWhere(order.id, (o) => o.payment.state === 'PAYMENT_STATE_REFUNDED');
  expect(refunded.payment).toMatchObject({
    refunded: { amountMinor: order.total.amountMinor },
    refundReference: expect.stringMatching(/^re_/),
  });
  for (const user of [shopper, admin]) {
    const retry = await user.api.post(ORDERS, 'CancelOrder', { id: order.id }).catch((e: unknown) => e);
    expect(retry).toBeInstanceOf(ApiError);
    expect((retry as ApiError).code).toBe('failed_precondition');
  }
  const refunds = await stripeApi(`/v1/refunds?payment_intent=${order.payment.reference}`);
  expect(refunds.json.data).toHaveLength(1);
  expect(refunds.json.data?.[0]).toMatchObject({ amount: Number(order.total.amountMinor), status: 'succeeded' });
  expect(await getOrder(order.id)).toEqual(refunded);
  const sms = await eventually('cancellation SMS', async () =>
    (await smsTo(system, phone)).find((m) => m.body.includes(order.number) && /cancelled/.test(m.body)),
  );
  expect(sms.body).toMatch(/A refund of .* is on its way to your card/);
  await eventually('stock restocked', async () =>
    (await stockAvailable(shopper.api, productId)) === before ? true : undefined,
  );
  expect(total(await scrape(system.services.orders.opsPort), 'orders_refunds_total', { outcome: 'issued' })).toBe(1);
});

test('payment and order events stay consistent when orders is killed between receiving a webhook and committing', async () => {
  const { order } = await placeCardOrder();
  // Hold the order row: the webhook's transaction then waits on it, after receipt and before commit.
  const holder = new Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query(`select 1 from ${ordersTable()} where id = $1 for update`, [order.id]);
    expect(await pay(order.payment.reference!, 'pm_card_visa')).toBe(200);
    await eventually('the webhook waiting inside its transaction', async () => {
      const { rows } = await db.query(
        `select 1 from pg_stat_activity where usename = 'orders_svc' and wait_event_type = 'Lock' and query like '%for update%'`,
      );
      return rows.length > 0 ? true : undefined;
    });
    await system.restart('orders', 'SIGKILL');
  } finally {
    await holder.query('rollback');
    await holder.end();
  }
  // The webhook's work died with the process: no payment recorded, no event, the event id unseen.
  const mid = await getOrder(order.id);
  expect(mid).toMatchObject({ status: 'ORDER_STATUS_PENDING', payment: { state: 'PAYMENT_STATE_REQUIRES_PAYMENT' } });
  expect(await eventsOf(order.id, 'OrderConfirmed')).toBe(0);
  const seen = await db.query(
    `select count(*)::int as n from ${system.schemas.orders.schema}.payment_events where order_id = $1`,
    [order.id],
  );
  expect(seen.rows[0].n).toBe(0);

  // Stripe's webhook was answered with an error; the reconciliation applies the payment in full.
  await age(order.id, ['updated_at']);
  const confirmed = await orderWhere(order.id, (o) => o.status === 'ORDER_STATUS_CONFIRMED');
  expect(confirmed.payment.state).toBe('PAYMENT_STATE_PAID');
  expect(await eventsOf(order.id, 'OrderConfirmed')).toBe(1);
  const sms = await eventually('one confirmation SMS', async () => {
    const about = (await smsTo(system, phone)).filter((m) => m.body.includes(order.number) && /confirmed/.test(m.body));
    return about.length > 0 ? about : undefined;
  });
  expect(sms).toHaveLength(1);
});

test('Stripe unreachable at placement: unavailable, nothing reserved, no order', async () => {
  const before = await stockAvailable(shopper.api, productId);
  await system.restart('orders', 'SIGTERM', { STRIPE_API_BASE: 'http://127.0.0.1:9', STRIPE_TIMEOUT_MS: '1000' });
  try {
    const key = randomUUID();
    const refused = await placeCardOrder(1, key).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('unavailable');
    expect(await stockAvailable(shopper.api, productId)).toBe(before);
    const { rows } = await db.query(`select count(*)::int as n from ${ordersTable()} where idempotency_key = $1`, [
      key,
    ]);
    expect(rows[0].n).toBe(0);
  } finally {
    await system.restart('orders', 'SIGTERM', { STRIPE_API_BASE, STRIPE_TIMEOUT_MS: '5000' });
  }
});

test('no secret or client secret reaches a log line or an event', async () => {
  const logs = Object.values(system.services)
    .flatMap((svc) => svc.logs)
    .map((line) => JSON.stringify(line));
  expect(logs.length).toBeGreaterThan(0);
  for (const secret of [SECRET_KEY, WEBHOOK_SECRET, '_secret_']) {
    expect(logs.filter((line) => line.includes(secret))).toEqual([]);
  }
  const { rows } = await db.query(`select payload, headers::text as headers from ${outbox()}`);
  for (const row of rows as Array<{ payload: Buffer; headers: string }>) {
    for (const secret of [SECRET_KEY, WEBHOOK_SECRET, '_secret_']) {
      expect(row.payload.includes(secret)).toBe(false);
      expect(row.headers.includes(secret)).toBe(false);
    }
  }
});
