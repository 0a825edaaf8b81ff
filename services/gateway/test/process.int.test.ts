import http2 from 'node:http2';
import { Code, createClient } from '@connectrpc/connect';
import { createGrpcTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { expectHealthyService, infraEnv, startService, type RunningService } from '@ordersystem/testing';

// Processes start and logins make round trips on a shared 2-core machine; the project-level
// testTimeout is not applied per project by jest, so it is set here.
jest.setTimeout(30_000);

/** The gateway alone, upstreams unreachable: what must work without them. */
const env = () => ({
  CUSTOMERS_URL: 'http://127.0.0.1:9',
  CATALOG_URL: 'http://127.0.0.1:9',
  ORDERS_URL: 'http://127.0.0.1:9',
  REDIS_URL: infraEnv().redisUrl,
  RATE_LIMIT_PREFIX: `gw-process-${process.pid}-${Date.now()}`,
  TOKEN_ISSUER: 'http://gateway.test',
  TOKEN_AUDIENCE: 'ordersystem-test',
  BEHIND_TLS: 'true',
  MAX_BODY_BYTES: '1024',
});

describe('gateway process', () => {
  let svc: RunningService;
  let base: string;

  beforeAll(async () => {
    svc = await startService('gateway', env());
    base = `http://127.0.0.1:${svc.port}`;
  }, 30_000);
  afterAll(async () => expect(await svc?.stop()).toBe(0), 30_000);

  it('answers gRPC health (HTTP/2 on the public port), readiness and metrics', () => expectHealthyService(svc));

  it('serves HTTP/1.1 and HTTP/2 (prior knowledge) on the same port', async () => {
    const viaH1 = await fetch(`${base}/ordersystem.orders.v1.OrderService/GetOrder`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(viaH1.status).toBe(401);
    const session = http2.connect(base);
    try {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = session.request({
          ':method': 'POST',
          ':path': '/ordersystem.orders.v1.OrderService/GetOrder',
          'content-type': 'application/json',
        });
        let status = 0;
        let body = '';
        req.on('response', (h) => (status = Number(h[':status'])));
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => resolve({ status, body }));
        req.on('error', reject);
        req.end('{}');
      });
      expect(status).toBe(401);
      expect(JSON.parse(body)).toEqual({ code: 'unauthenticated', message: 'authentication required' });
    } finally {
      session.close();
    }
  });

  it('speaks gRPC and gRPC-web too, with the same policy', async () => {
    const request = { id: 'o-1' };
    for (const transport of [
      createGrpcTransport({ baseUrl: base }),
      createGrpcWebTransport({ baseUrl: base, httpVersion: '1.1' }),
    ]) {
      const client = createClient(OrderService, transport);
      await expect(client.getOrder(request)).rejects.toMatchObject({ code: Code.Unauthenticated });
    }
  });

  it('refuses a streamed (chunked) body over the limit with resource_exhausted', async () => {
    const chunk = new TextEncoder().encode(`{"id":"${'x'.repeat(2048)}"}`);
    const body = new ReadableStream({ start: (c) => (c.enqueue(chunk), c.close()) });
    const res = await fetch(`${base}/ordersystem.catalog.v1.CatalogService/GetProduct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(((await res.json()) as { code: string }).code).toBe('resource_exhausted');
  });

  it('sets security headers, HSTS behind TLS, and echoes a well-formed request id', async () => {
    const res = await fetch(`${base}/nowhere`, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const bad = await fetch(`${base}/nowhere`, { headers: { 'x-request-id': 'no spaces or <tags> allowed' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // The access log line travels through the child's stdout pipe; give it a moment to arrive.
    const logged = () => svc.logs.some((l) => l.request_id === 'abc-123' && l.path === '/nowhere');
    for (let i = 0; i < 50 && !logged(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(logged()).toBe(true);
  });

  it('reports each upstream and Redis in /readyz without failing readiness', async () => {
    const res = await fetch(`http://127.0.0.1:${svc.opsPort}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { upstreams: Record<string, string> };
    expect(Object.keys(body.upstreams).sort()).toEqual(['catalog', 'customers', 'orders', 'redis']);
    expect(body.upstreams.catalog).toMatch(/^failing/);
    expect(body.upstreams.redis).toBe('SERVING');
  });

  it('answers an unreachable upstream with unavailable, without leaking its address', async () => {
    const res = await fetch(`${base}/ordersystem.catalog.v1.CatalogService/GetProduct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: '00000000-0000-4000-8000-000000000001' }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ code: 'unavailable', message: 'upstream unavailable' });
    const login = await fetch(`${base}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(503);
    expect(await login.json()).toEqual({ code: 'unavailable', message: 'upstream unavailable' });
  });

  it('refuses to start with incomplete configuration, naming the variables', async () => {
    const { TOKEN_ISSUER: _i, CATALOG_URL: _c, ...partial } = env();
    await expect(startService('gateway', partial, { timeoutMs: 20_000 })).rejects.toThrow(
      /CATALOG_URL[\s\S]*TOKEN_ISSUER/,
    );
  }, 30_000);
});
