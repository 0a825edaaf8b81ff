// One order through the compose stack, as an outside client would place it (issue 17). Runs in a
// container on the compose network (scripts/deploy.d/live-compose), where the gateway is
// http://gateway:8080 and the development OpenID provider http://dev-sinks:9400, the names the
// stack was started with (PUBLIC_URL=http://gateway:8080).
//   1. the admin (ADMIN_EMAILS) signs in through the OpenID flow and creates a category and a product;
//   2. a customer signs in, sets a phone number and places an order;
//   3. the SMS reaches the Twilio-speaking sink (dev-sinks) and the email the mail sink (mailpit).
// Plain Node, no dependencies: it runs in the dev-sinks image.
import { randomUUID } from 'node:crypto';

const GATEWAY = process.env.GATEWAY_URL ?? 'http://gateway:8080';
const SMS = process.env.SMS_URL ?? 'http://dev-sinks:4010';
const MAIL = process.env.MAIL_URL ?? 'http://mailpit:8025';
const ADMIN = process.env.ADMIN_EMAIL ?? 'admin@ordersystem.local';
const CURRENCY = process.env.CURRENCY ?? 'KES';
const say = (line) => process.stdout.write(`[drive-order] ${line}\n`);

/**
 * The whole login again (a fresh state and code) when a step timed out: right after a stack turns
 * healthy, its first calls to the provider have taken longer than the gateway's deadline (2 of 6
 * runs; once, in CI, for 20 s). Five attempts over about half a minute; every retry is printed, and
 * customers logs why (OIDC_TIMEOUT_MS makes a silent provider an `unavailable` with its cause).
 */
async function loginWithRetry(email, name) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await login(email, name);
    } catch (err) {
      if (attempt >= 5 || !/: 50[234] /.test(String(err.message))) throw err;
      say(`login attempt ${attempt} failed (${err.message.slice(0, 160)}); starting over`);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  }
}

/** The gateway's /auth/login through the provider's form, redirects followed by hand with cookies. */
async function login(email, name) {
  const jar = new Map();
  const cookies = (url) => [...(jar.get(new URL(url).origin) ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (url, res) => {
    const origin = new URL(url).origin;
    const m = jar.get(origin) ?? new Map();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      if (i > 0) m.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    jar.set(origin, m);
  };
  let url = `${GATEWAY}/auth/login`;
  let init = { method: 'GET' };
  for (let hop = 0; hop < 15; hop++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: cookies(url) } });
    keep(url, res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).toString();
      init = { method: 'GET' };
      continue;
    }
    const body = await res.text();
    if (!res.ok) throw new Error(`login failed at ${url}: ${res.status} ${body.slice(0, 300)}`);
    if (url.startsWith(`${GATEWAY}/auth/callback`)) return JSON.parse(body).access_token;
    const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(body)?.[1];
    if (!action) throw new Error(`login: unexpected page at ${url}: ${body.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, name }).toString(),
    };
  }
  throw new Error('login: too many redirects');
}

async function call(token, service, method, message) {
  const res = await fetch(`${GATEWAY}/ordersystem.${service}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(message),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${method}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function eventually(what, probe) {
  for (let i = 0; i < 120; i++) {
    const found = await probe().catch(() => undefined);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${what}: not seen within 2 minutes`);
}

const n = randomUUID().slice(0, 8);
const admin = await loginWithRetry(ADMIN, 'Compose Admin');
say(`admin ${ADMIN} signed in through the OpenID provider`);
const { category } = await call(admin, 'catalog.v1.CatalogService', 'CreateCategory', {
  name: `Compose ${n}`,
  slug: `compose-${n}`,
});
const { product } = await call(admin, 'catalog.v1.CatalogService', 'CreateProduct', {
  product: {
    sku: `COMPOSE-${n.toUpperCase()}`,
    name: `Compose product ${n}`,
    description: 'placed by scripts/deploy.d/live-compose',
    price: { currencyCode: CURRENCY, amountMinor: '2500' },
    categoryId: category.id,
    taxClass: 'standard',
    stockOnHand: '5',
    active: true,
  },
});
say(`product ${product.id} created`);

const email = `buyer-${n}@compose.test`;
const phone = `+25471${String(Number.parseInt(n, 16) % 10_000_000).padStart(7, '0')}`;
const customer = await loginWithRetry(email, `Buyer ${n}`);
await call(customer, 'customers.v1.CustomerService', 'UpdateMe', { phoneNumber: phone });
const { order } = await call(customer, 'orders.v1.OrderService', 'PlaceOrder', {
  lines: [{ productId: product.id, quantity: '1' }],
  deliveryAddress: {
    recipientName: 'Compose Buyer',
    line1: '1 Test Street',
    city: 'Nairobi',
    postalCode: '00100',
    countryCode: 'KE',
    phoneNumber: phone,
  },
  idempotencyKey: randomUUID(),
  paymentMethod: 'PAYMENT_METHOD_PAY_ON_DELIVERY',
});
say(`order ${order.number} placed by ${email}`);

const sms = await eventually('the SMS', async () =>
  (await (await fetch(`${SMS}/messages`)).json()).find((m) => m.to === phone && m.body.includes(order.number)),
);
say(`SMS at the Twilio-speaking sink: "${sms.body}"`);
// Email goes to the shop's admins (customers get SMS), and names the order.
const mail = await eventually('the admin email', async () =>
  (await (await fetch(`${MAIL}/mails`)).json()).find(
    (m) => m.to.includes(ADMIN) && `${m.subject}\n${m.text}`.includes(order.number),
  ),
);
say(`email to ${ADMIN} at the mail sink: "${mail.subject}"`);
