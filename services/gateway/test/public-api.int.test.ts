import { randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import { Access } from '@ordersystem/contracts/ordersystem/auth/v1/policy';
import { buildPolicyTable } from '../src/policy/policy-table';
import { PUBLIC_API, type UpstreamName } from '../src/public-api';
import { get, login, loginAdmin, post, type Tokens } from './http-client';
import { upstreamCalls } from './metrics';
import { type Stack, startStack } from './stack';
import { forgedTokens, newSigningKey } from './tokens';

// Processes start and logins make round trips on a shared 2-core machine; the project-level
// testTimeout is not applied per project by jest, so it is set here.
jest.setTimeout(30_000);

/** The customer id inside a real access token. */
const subjectOf = (tokens: Tokens) =>
  String(JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()).sub);
const AUTH_ERRORS = ['unauthenticated', 'permission_denied'];
const table = buildPolicyTable(PUBLIC_API.map((p) => p.service));
const methods = PUBLIC_API.flatMap(({ service, upstream }) =>
  service.methods.map((m) => ({
    path: `${service.typeName}/${m.name}`,
    name: m.name,
    upstream,
    access: table.get(`${service.typeName}/${m.name}`)!.access,
  })),
);

describe('gateway public API (real customers, catalog and orders behind it)', () => {
  let stack: Stack;
  let gw: string;
  let alice: Tokens;
  let bob: Tokens;
  let admin: Tokens;
  // Calls of a method that reached its upstream; notifications is not started here (the gateway has
  // no NOTIFICATIONS_URL, so a forwarded call would answer unavailable, never an auth error).
  const calls = async (upstream: UpstreamName, name: string) =>
    upstream === 'notifications'
      ? 0
      : upstreamCalls(`http://127.0.0.1:${stack.upstreams[upstream]!.svc.opsPort}`, name);

  beforeAll(async () => {
    stack = await startStack({
      upstreams: ['customers', 'catalog', 'orders'],
      gatewayEnv: {
        MAX_BODY_BYTES: '65536',
        CORS_ORIGINS: 'https://shop.example',
        POST_LOGIN_URL: 'https://shop.example/welcome',
      },
    });
    gw = stack.url;
    [alice, bob, admin] = await Promise.all([
      login(gw, `alice-${randomUUID()}@example.test`),
      login(gw, `bob-${randomUUID()}@example.test`),
      loginAdmin(gw),
    ]);
  }, 120_000);
  afterAll(() => stack?.stop(), 60_000);

  describe('per-method policy, for every public method', () => {
    it.each(methods)('anonymous $path', async ({ path, name, upstream, access }) => {
      const before = await calls(upstream, name);
      const { code } = await post(gw, path, {});
      if (access === Access.PUBLIC) return expect(AUTH_ERRORS).not.toContain(code);
      expect(code).toBe('unauthenticated');
      expect(await calls(upstream, name)).toBe(before);
    });

    it.each(methods)('customer $path', async ({ path, name, upstream, access }) => {
      const before = await calls(upstream, name);
      const { code } = await post(gw, path, {}, { token: alice.access_token });
      if (access !== Access.ADMIN) return expect(AUTH_ERRORS).not.toContain(code);
      expect(code).toBe('permission_denied');
      expect(await calls(upstream, name)).toBe(before);
    });

    it.each(methods)('admin $path', async ({ path }) => {
      const { code } = await post(gw, path, {}, { token: admin.access_token });
      expect(AUTH_ERRORS).not.toContain(code);
    });
  });

  it.each(Object.keys(forgedTokens({ key: newSigningKey(), issuer: 'i', audience: 'a' }, { sub: 'x' })))(
    'refuses a forged token (%s) with unauthenticated',
    async (variant) => {
      const token = forgedTokens(stack.tokens, { sub: subjectOf(alice), roles: ['customer', 'admin'] })[variant]!;
      for (const path of [
        'ordersystem.customers.v1.CustomerService/GetMe',
        'ordersystem.customers.v1.CustomerService/ListCustomers',
        'ordersystem.catalog.v1.CatalogService/ListProducts',
      ]) {
        const res = await post(gw, path, {}, { token });
        expect({ path, status: res.status, code: res.code }).toEqual({ path, status: 401, code: 'unauthenticated' });
      }
    },
  );

  describe('identity and ownership', () => {
    it('ignores identity headers sent by the client', async () => {
      const anonymous = await post(
        gw,
        'ordersystem.customers.v1.CustomerService/GetMe',
        {},
        {
          headers: {
            'x-ordersystem-customer-id': randomUUID(),
            'x-ordersystem-roles': 'admin',
            'x-ordersystem-email': 'x@example.test',
          },
        },
      );
      expect(anonymous.code).toBe('unauthenticated');
      const spoof = await post(
        gw,
        'ordersystem.customers.v1.CustomerService/GetMe',
        {},
        {
          token: bob.access_token,
          headers: { 'x-ordersystem-customer-id': subjectOf(alice), 'x-ordersystem-roles': 'admin' },
        },
      );
      expect(spoof.code).toBe('ok');
      expect((spoof.body.customer as { email: string }).email).toMatch(/^bob-/);
    });

    it("answers not_found when a customer reads or cancels another customer's order", async () => {
      const order = await placeOrderAs(alice);
      const orderId = String((order.body.order as { id: string }).id);
      expect(
        (await post(gw, 'ordersystem.orders.v1.OrderService/GetOrder', { id: orderId }, { token: alice.access_token }))
          .code,
      ).toBe('ok');
      expect(
        (await post(gw, 'ordersystem.orders.v1.OrderService/GetOrder', { id: orderId }, { token: admin.access_token }))
          .code,
      ).toBe('ok');
      const peek = await post(
        gw,
        'ordersystem.orders.v1.OrderService/GetOrder',
        { id: orderId },
        { token: bob.access_token },
      );
      expect(peek.code).toBe('not_found');
      expect(JSON.stringify(peek.body)).not.toContain(orderId.slice(0, 8) + 'x');
      expect(
        (await post(gw, 'ordersystem.orders.v1.OrderService/CancelOrder', { id: orderId }, { token: bob.access_token }))
          .code,
      ).toBe('not_found');
      const bobsOrders = await post(
        gw,
        'ordersystem.orders.v1.OrderService/ListMyOrders',
        {},
        { token: bob.access_token },
      );
      expect(JSON.stringify(bobsOrders.body)).not.toContain(orderId);
    });

    it("does not let a customer read another customer's profile", async () => {
      const aliceId = subjectOf(alice);
      const attempt = await post(
        gw,
        'ordersystem.customers.v1.CustomerService/GetCustomer',
        { id: aliceId },
        { token: bob.access_token },
      );
      expect(attempt.code).toBe('permission_denied');
      const asAdmin = await post(
        gw,
        'ordersystem.customers.v1.CustomerService/GetCustomer',
        { id: aliceId },
        { token: admin.access_token },
      );
      expect((asAdmin.body.customer as { email: string }).email).toMatch(/^alice-/);
    });
  });

  async function placeOrderAs(customer: Tokens) {
    const token = admin.access_token;
    const slug = `gw-${randomUUID().slice(0, 8)}`;
    const category = await post(
      gw,
      'ordersystem.catalog.v1.CatalogService/CreateCategory',
      { name: 'Gateway test', slug },
      { token },
    );
    expect(category.code).toBe('ok');
    const product = await post(
      gw,
      'ordersystem.catalog.v1.CatalogService/CreateProduct',
      {
        product: {
          sku: `SKU-${slug}`,
          name: 'Widget',
          price: { currencyCode: 'KES', amountMinor: '1500' },
          categoryId: (category.body.category as { id: string }).id,
          taxClass: 'standard',
          stockOnHand: '10',
          active: true,
        },
      },
      { token },
    );
    expect(product.code).toBe('ok');
    const order = await post(
      gw,
      'ordersystem.orders.v1.OrderService/PlaceOrder',
      {
        lines: [{ productId: (product.body.product as { id: string }).id, quantity: '1' }],
        deliveryAddress: {
          recipientName: 'A',
          line1: 'Street 1',
          city: 'Nairobi',
          postalCode: '00100',
          countryCode: 'KE',
          phoneNumber: '+254712345678',
        },
        idempotencyKey: randomUUID(),
        paymentMethod: 'PAYMENT_METHOD_PAY_ON_DELIVERY',
      },
      { token: customer.access_token },
    );
    expect(order.code).toBe('ok');
    return order;
  }

  describe('HTTP caching of side-effect-free GETs', () => {
    it('sends a strong ETag and Cache-Control, and answers a matching If-None-Match with 304 and no body', async () => {
      const first = await get(gw, 'ordersystem.catalog.v1.CatalogService/GetCategoryTree', {});
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(first.headers.get('cache-control')).toBe('public, max-age=60');
      const query = new URLSearchParams({ connect: 'v1', encoding: 'json', message: '{}' });
      const again = await fetch(`${gw}/ordersystem.catalog.v1.CatalogService/GetCategoryTree?${query}`, {
        headers: { 'if-none-match': etag },
      });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      const changed = await fetch(`${gw}/ordersystem.catalog.v1.CatalogService/GetCategoryTree?${query}`, {
        headers: { 'if-none-match': '"stale"' },
      });
      expect(changed.status).toBe(200);
    });

    it('answers If-None-Match with 304 over HTTP/2 as well', async () => {
      const path = `/ordersystem.catalog.v1.CatalogService/GetCategoryTree?${new URLSearchParams({ connect: 'v1', encoding: 'json', message: '{}' })}`;
      const session = http2.connect(gw);
      const h2get = (headers: Record<string, string>) =>
        new Promise<{ status: number; etag: string; body: string }>((resolve, reject) => {
          const req = session.request({ ':method': 'GET', ':path': path, ...headers });
          let status = 0;
          let etag = '';
          let body = '';
          req.on('response', (h) => ((status = Number(h[':status'])), (etag = String(h.etag ?? ''))));
          req.on('data', (c: Buffer) => (body += c.toString()));
          req.on('end', () => resolve({ status, etag, body }));
          req.on('error', reject);
        });
      try {
        const first = await h2get({});
        expect(first.status).toBe(200);
        const again = await h2get({ 'if-none-match': first.etag });
        expect({ status: again.status, body: again.body }).toEqual({ status: 304, body: '' });
      } finally {
        session.close();
      }
    });

    it('marks per-user reads private and never caches POSTs or errors', async () => {
      const me = await get(gw, 'ordersystem.customers.v1.CustomerService/GetMe', {}, { token: alice.access_token });
      expect(me.status).toBe(200);
      expect(me.headers.get('cache-control')).toBe('private, no-cache');
      expect(me.headers.get('etag')).toBeTruthy();
      const viaPost = await post(gw, 'ordersystem.catalog.v1.CatalogService/GetCategoryTree', {});
      expect(viaPost.headers.get('etag')).toBeNull();
      const missing = await get(gw, 'ordersystem.catalog.v1.CatalogService/GetCategory', { id: randomUUID() });
      expect(missing.code).toBe('not_found');
      expect(missing.headers.get('etag')).toBeNull();
    });
  });

  describe('the public surface', () => {
    it.each([
      'ordersystem.catalog.v1.InventoryService/ReserveStock',
      'ordersystem.catalog.v1.InventoryService/CommitReservation',
      'ordersystem.customers.v1.IdentityService/GetJwks',
      'ordersystem.customers.v1.IdentityService/BeginLogin',
      'ordersystem.customers.v1.ContactService/GetContact',
    ])('does not route the internal method %s, even for an admin', async (path) => {
      const res = await post(gw, path, {}, { token: admin.access_token });
      expect(res.status).toBe(404);
    });

    it('refuses an oversized body with 413 and a Connect error, before reading it', async () => {
      const big = { product: { name: 'x'.repeat(70_000) } };
      const res = await post(gw, 'ordersystem.catalog.v1.CatalogService/CreateProduct', big, {
        token: admin.access_token,
      });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ code: 'resource_exhausted', message: 'request body larger than 65536 bytes' });
    });

    it('passes upstream validation errors through with their field details', async () => {
      const res = await post(
        gw,
        'ordersystem.orders.v1.OrderService/PlaceOrder',
        { lines: [{ productId: 'nope', quantity: '-1' }] },
        { token: alice.access_token },
      );
      expect(res.code).toBe('invalid_argument');
      expect(JSON.stringify(res.body.details)).toMatch(/fieldViolations/);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
    });

    it('answers CORS preflights for configured origins only', async () => {
      const preflight = (origin: string) =>
        fetch(`${gw}/ordersystem.catalog.v1.CatalogService/ListProducts`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type,authorization',
          },
        });
      const ok = await preflight('https://shop.example');
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
      const evil = await preflight('https://evil.example');
      expect(evil.status).toBe(403);
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('login endpoints', () => {
    it('refreshes with rotation and logs out', async () => {
      const tokens = await login(gw, `carol-${randomUUID()}@example.test`);
      const refreshed = await fetch(`${gw}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: tokens.refresh_token }),
      });
      expect(refreshed.status).toBe(200);
      const next = (await refreshed.json()) as Tokens;
      expect(
        (await post(gw, 'ordersystem.customers.v1.CustomerService/GetMe', {}, { token: next.access_token })).code,
      ).toBe('ok');
      const logout = await fetch(`${gw}/auth/logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: next.refresh_token }),
      });
      expect(logout.status).toBe(204);
      const after = await fetch(`${gw}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: next.refresh_token }),
      });
      expect(after.status).toBe(401);
      expect(((await after.json()) as { code: string }).code).toBe('unauthenticated');
    });

    it('in browser mode keeps the refresh token in an HttpOnly cookie scoped to /auth', async () => {
      const callback = await login(gw, `dora-${randomUUID()}@example.test`, 'Dora', 'cookie');
      expect(callback.status).toBe(302);
      expect(callback.headers.get('location')).toBe('https://shop.example/welcome');
      const refreshCookie = callback.headers.getSetCookie().find((c) => c.startsWith('gw_refresh='))!;
      expect(refreshCookie).toMatch(/HttpOnly/);
      expect(refreshCookie).toMatch(/Path=\/auth/);
      expect(refreshCookie).toMatch(/SameSite=Strict/);
      const refreshed = await fetch(`${gw}/auth/refresh`, {
        method: 'POST',
        headers: { cookie: refreshCookie.split(';')[0]! },
      });
      expect(refreshed.status).toBe(200);
      const body = (await refreshed.json()) as Partial<Tokens>;
      expect(body.access_token).toBeTruthy();
      expect(body.refresh_token).toBeUndefined();
      expect(refreshed.headers.getSetCookie().find((c) => c.startsWith('gw_refresh='))).not.toBe(refreshCookie);
    });

    it('rejects a callback without the login cookie', async () => {
      const res = await fetch(`${gw}/auth/callback?code=x&state=y`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('failed_precondition');
    });

    it('serves the signing keys at /.well-known/jwks.json, cacheable', async () => {
      const res = await fetch(`${gw}/.well-known/jwks.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
      const jwks = (await res.json()) as { keys: Array<{ kid: string; d?: string }> };
      expect(jwks.keys.map((k) => k.kid)).toContain(stack.tokens.key.kid);
      expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    });
  });

  it('exports per-method metrics', async () => {
    const text = await (await fetch(`${stack.ops}/metrics`)).text();
    expect(text).toMatch(
      /rpc_server_requests_total\{[^}]*service="ordersystem.customers.v1.CustomerService"[^}]*method="GetMe"[^}]*code="unauthenticated"/,
    );
    expect(text).toMatch(/rpc_server_duration_seconds_bucket\{[^}]*method="GetMe"/);
  });
});
