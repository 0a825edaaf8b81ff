import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { REPO_ROOT, startService } from '@ordersystem/testing';
import { startFakeOrders } from './fake-orders';
import { get, post } from './http-client';
import { counter } from './metrics';
import { type Stack, startStack } from './stack';
import { accessToken } from './tokens';

// Processes start and logins make round trips on a shared 2-core machine; the project-level
// testTimeout is not applied per project by jest, so it is set here.
jest.setTimeout(30_000);

const LIST = 'ordersystem.catalog.v1.CatalogService/ListProducts';

describe('gateway protection and resilience', () => {
  let stack: Stack;
  let fakeOrders: Awaited<ReturnType<typeof startFakeOrders>>;
  const token = (sub = randomUUID(), roles = ['customer']) => accessToken(stack.tokens, { sub, roles });

  beforeAll(async () => {
    fakeOrders = await startFakeOrders();
    stack = await startStack({ upstreams: ['customers', 'catalog'] });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await fakeOrders?.close();
  }, 60_000);

  describe('rate limiting in Redis', () => {
    it('limits each client IP: 429, resource_exhausted and Retry-After; X-Forwarded-For is not trusted by default', async () => {
      const gw = await stack.startGateway({ RATE_LIMIT_IP_POINTS: '3', RATE_LIMIT_IP_DURATION_S: '60' });
      const base = `http://127.0.0.1:${gw.port}`;
      for (let i = 0; i < 3; i++) expect((await post(base, LIST)).code).toBe('ok');
      const limited = await post(base, LIST);
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('resource_exhausted');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await post(base, LIST, {}, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(429);
      expect(
        await counter(`http://127.0.0.1:${gw.opsPort}`, 'gateway_rate_limited_total', { scope: 'ip' }),
      ).toBeGreaterThanOrEqual(2);
    });

    it('leases a larger budget from Redis in shares and still allows exactly the budget', async () => {
      const gw = await stack.startGateway({ RATE_LIMIT_IP_POINTS: '100', RATE_LIMIT_LEASE_FRACTION: '0.1' });
      const base = `http://127.0.0.1:${gw.port}`;
      const statuses: number[] = [];
      for (let i = 0; i < 110; i++) statuses.push((await post(base, LIST)).status);
      expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
    });

    it('behind a trusted proxy, limits by the forwarded client address', async () => {
      const gw = await stack.startGateway({ RATE_LIMIT_IP_POINTS: '1', TRUST_PROXY: 'true' });
      const base = `http://127.0.0.1:${gw.port}`;
      const from = (ip: string) => post(base, LIST, {}, { headers: { 'x-forwarded-for': `198.51.100.1, ${ip}` } });
      expect((await from('203.0.113.1')).code).toBe('ok');
      expect((await from('203.0.113.1')).status).toBe(429);
      expect((await from('203.0.113.2')).code).toBe('ok');
    });

    it('limits each authenticated user separately', async () => {
      const gw = await stack.startGateway({ RATE_LIMIT_USER_POINTS: '2', RATE_LIMIT_USER_DURATION_S: '60' });
      const base = `http://127.0.0.1:${gw.port}`;
      const [alice, bob] = [token(), token()];
      for (let i = 0; i < 2; i++) expect((await post(base, LIST, {}, { token: alice })).code).toBe('ok');
      const limited = await post(base, LIST, {}, { token: alice });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('resource_exhausted');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await post(base, LIST, {}, { token: bob })).code).toBe('ok');
      expect(await counter(`http://127.0.0.1:${gw.opsPort}`, 'gateway_rate_limited_total', { scope: 'user' })).toBe(1);
    });
  });

  describe('forwarding (against a recording stand-in for orders)', () => {
    let base: string;
    beforeAll(async () => {
      const gw = await stack.startGateway({
        ORDERS_URL: fakeOrders.url,
        UPSTREAM_TIMEOUT_MS: '500',
        UPSTREAM_MAX_ATTEMPTS: '3',
      });
      base = `http://127.0.0.1:${gw.port}`;
    }, 30_000);

    it('sends only identity from the verified token, the request id, trace context and a deadline', async () => {
      const sub = randomUUID();
      const traceId = randomUUID().replace(/-/g, '');
      const res = await post(
        base,
        'ordersystem.orders.v1.OrderService/GetOrder',
        { id: 'o-1' },
        {
          token: token(sub, ['customer']),
          headers: {
            'x-ordersystem-customer-id': 'someone-else',
            'x-ordersystem-roles': 'admin',
            'x-request-id': 'req-trace-1',
            traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
          },
        },
      );
      expect(res.code).toBe('ok');
      const seen = fakeOrders.calls.find((c) => c.id === 'o-1')!;
      expect(seen.headers['x-ordersystem-customer-id']).toBe(sub);
      expect(seen.headers['x-ordersystem-roles']).toBe('customer');
      expect(seen.headers['x-request-id']).toBe('req-trace-1');
      expect(seen.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.timeoutMs).toBeGreaterThan(0);
      expect(seen.timeoutMs).toBeLessThanOrEqual(500);
    });

    it('retries a side-effect-free call that failed with unavailable', async () => {
      const res = await get(base, 'ordersystem.orders.v1.OrderService/GetOrder', { id: 'flaky-1' }, { token: token() });
      expect(res.code).toBe('ok');
      expect(fakeOrders.calls.filter((c) => c.id === 'flaky-1')).toHaveLength(2);
    });

    it('never retries a call with side effects', async () => {
      const res = await post(base, 'ordersystem.orders.v1.OrderService/CancelOrder', { id: 'c-1' }, { token: token() });
      expect(res.code).toBe('unavailable');
      expect(fakeOrders.calls.filter((c) => c.id === 'c-1')).toHaveLength(1);
    });

    it('puts a deadline on every upstream call', async () => {
      const res = await post(base, 'ordersystem.orders.v1.OrderService/GetOrder', { id: 'slow' }, { token: token() });
      expect(res.code).toBe('deadline_exceeded');
    });
  });

  describe('an upstream killed with calls in flight', () => {
    it('answers every call in flight with 503 unavailable, never 409 aborted or 500', async () => {
      // A separate process that holds every call open, so SIGKILL resets connections mid-call.
      const orders = await startService(
        'hanging-orders',
        {},
        { entry: 'test/hanging-orders.ts', cwd: path.join(REPO_ROOT, 'services/gateway') },
      );
      try {
        const gw = await stack.startGateway({ ORDERS_URL: `http://127.0.0.1:${orders.port}` });
        const base = `http://127.0.0.1:${gw.port}`;
        const calls = [
          ...Array.from({ length: 6 }, () =>
            post(
              base,
              'ordersystem.orders.v1.OrderService/PlaceOrder',
              {
                idempotencyKey: randomUUID(),
                paymentMethod: 'PAYMENT_METHOD_PAY_ON_DELIVERY',
                lines: [{ productId: randomUUID(), quantity: 1 }],
                deliveryAddress: {
                  recipientName: 'Ann',
                  line1: '1 Main St',
                  city: 'Nairobi',
                  postalCode: '00100',
                  countryCode: 'KE',
                },
              },
              { token: token() },
            ),
          ),
          ...Array.from({ length: 4 }, (_, i) =>
            get(base, 'ordersystem.orders.v1.OrderService/GetOrder', { id: `held-${i}` }, { token: token() }),
          ),
        ];
        const held = () => orders.logs.filter((l) => l.held).length;
        for (let i = 0; i < 200 && held() < calls.length; i++) await new Promise((r) => setTimeout(r, 25));
        expect(held()).toBe(calls.length);
        await orders.stop('SIGKILL');
        const replies = await Promise.all(calls);
        for (const r of replies)
          expect({ status: r.status, body: r.body }).toEqual({
            status: 503,
            body: { code: 'unavailable', message: 'upstream unavailable' },
          });
        // connect-node reports these resets as canceled or aborted; none of that may reach a client or the log.
        expect(gw.logs.filter((l) => l.code !== undefined && l.code !== 'unavailable')).toEqual([]);
      } finally {
        await orders.stop('SIGKILL');
      }
    });
  });

  describe('an upstream killed mid-test', () => {
    it('answers unavailable at once (not after a deadline) while other upstreams keep working', async () => {
      expect((await post(stack.url, LIST)).code).toBe('ok');
      await stack.kill('catalog');
      const res = await post(stack.url, 'ordersystem.catalog.v1.CatalogService/GetProduct', { id: randomUUID() });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ code: 'unavailable', message: 'upstream unavailable' });
      expect(
        await counter(stack.ops, 'gateway_upstream_retries_total', {
          method: 'ordersystem.catalog.v1.CatalogService/GetProduct',
        }),
      ).toBe(2);
      expect((await fetch(`${stack.url}/.well-known/jwks.json`)).status).toBe(200);
      const ready = (await (await fetch(`${stack.ops}/readyz`)).json()) as { upstreams: Record<string, string> };
      expect(ready.upstreams).toMatchObject({ customers: 'SERVING', catalog: expect.stringMatching(/^failing/) });
    });
  });
});
