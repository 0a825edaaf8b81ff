import { infraEnv, type RunningService, startService } from '@ordersystem/testing';
import { DOCS_CSP } from '../src/http/docs-routes';
import { buildPolicyTable } from '../src/policy/policy-table';
import { PUBLIC_API } from '../src/public-api';

jest.setTimeout(30_000);

interface OpenApi {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        security?: unknown[];
        'x-required-role'?: string;
        requestBody?: { content: Record<string, { example?: unknown }> };
      }
    >
  >;
  components: {
    securitySchemes: Record<string, unknown>;
    schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }>;
  };
}

/** The published contract: the OpenAPI document built from the protos and its reference page. */
describe('published API documents', () => {
  let svc: RunningService;
  let base: string;

  beforeAll(async () => {
    svc = await startService('gateway', {
      CUSTOMERS_URL: 'http://127.0.0.1:9',
      CATALOG_URL: 'http://127.0.0.1:9',
      ORDERS_URL: 'http://127.0.0.1:9',
      REDIS_URL: infraEnv().redisUrl,
      RATE_LIMIT_PREFIX: `gw-docs-${process.pid}-${Date.now()}`,
      TOKEN_ISSUER: 'http://gateway.test',
      TOKEN_AUDIENCE: 'ordersystem-test',
    });
    base = `http://127.0.0.1:${svc.port}`;
  }, 30_000);
  afterAll(async () => expect(await svc?.stop()).toBe(0), 30_000);

  it('serves OpenAPI 3.1 listing every public operation with its access policy and an example', async () => {
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const doc = (await res.json()) as OpenApi;
    expect(doc.openapi).toBe('3.1.0');
    const table = buildPolicyTable(PUBLIC_API.map((p) => p.service));
    expect(Object.keys(doc.paths).sort()).toEqual([...table.keys()].map((k) => `/${k}`).sort());
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const op = (name: string) => doc.paths[`/${name}`]!.post!;
    expect(op('ordersystem.catalog.v1.CatalogService/ListProducts').security).toEqual([{}, { bearerAuth: [] }]);
    expect(op('ordersystem.orders.v1.OrderService/PlaceOrder').security).toEqual([{ bearerAuth: [] }]);
    expect(op('ordersystem.orders.v1.OrderService/ShipOrder')['x-required-role']).toBe('admin');
    for (const key of table.keys()) expect(op(key).requestBody?.content['application/json']?.example).toBeDefined();
    // The protovalidate constraints arrive as schema keywords.
    const list = doc.components.schemas['ordersystem.catalog.v1.ListProductsRequest']!.properties!;
    expect(list.pageSize).toMatchObject({ maximum: 100 });
    expect(list.categoryId).toMatchObject({ format: 'uuid' });
    const line = doc.components.schemas['ordersystem.orders.v1.PlaceOrderLine']!.properties!;
    expect(line.quantity).toMatchObject({ minimum: 1, maximum: 10000 });
  });

  it('serves the API reference page from its own origin, under a CSP that allows only that', async () => {
    const res = await fetch(`${base}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(DOCS_CSP);
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\//); // no CDN, nothing inline
      const got = await fetch(`${base}${asset}`);
      expect({ asset, status: got.status }).toEqual({ asset, status: 200 });
      await got.arrayBuffer();
    }
    expect(html).not.toMatch(/<script>|<style|style="|on\w+="/);
  });

  it('keeps the API-only policy on everything else', async () => {
    const res = await fetch(`${base}/openapi.json`);
    await res.arrayBuffer();
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    const missing = await fetch(`${base}/docs/index.html`);
    await missing.arrayBuffer();
    expect(missing.status).toBe(404);
  });
});
