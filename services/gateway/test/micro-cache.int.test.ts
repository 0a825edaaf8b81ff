import { accessToken } from './tokens';
import { counter, upstreamCalls } from './metrics';
import { type Stack, startStack } from './stack';

const TREE = '/ordersystem.catalog.v1.CatalogService/GetCategoryTree';
const query = (message: object) =>
  `?${new URLSearchParams({ connect: 'v1', encoding: 'json', message: JSON.stringify(message) })}`;

/** The gateway's micro-cache for anonymous GETs of public cacheable methods, against the real catalog. */
describe('gateway micro-cache', () => {
  let stack: Stack;
  let catalogOps: string;
  beforeAll(async () => {
    stack = await startStack({ upstreams: ['customers', 'catalog'] });
    catalogOps = `http://127.0.0.1:${stack.upstreams.catalog!.svc.opsPort}`;
  });
  afterAll(() => stack?.stop());

  it('answers a repeated anonymous GET without calling the catalog, with the same body and ETag', async () => {
    const url = `${stack.url}${TREE}${query({ maxDepth: 2 })}`;
    const first = await fetch(url);
    const firstBody = await first.text();
    const calls = await upstreamCalls(catalogOps, 'GetCategoryTree');
    const again = await fetch(url);
    expect({ status: again.status, body: await again.text(), etag: again.headers.get('etag') }).toEqual({
      status: 200,
      body: firstBody,
      etag: first.headers.get('etag'),
    });
    expect(again.headers.get('cache-control')).toBe('public, max-age=60');
    const revalidated = await fetch(url, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
    expect(await upstreamCalls(catalogOps, 'GetCategoryTree')).toBe(calls);
    expect(await counter(stack.ops, 'gateway_response_cache_total', { result: 'hit' })).toBeGreaterThanOrEqual(2);
  });

  it('never serves or stores an authenticated request, and checks its token every time', async () => {
    const url = `${stack.url}${TREE}${query({ maxDepth: 3 })}`;
    const token = accessToken(stack.tokens, { sub: 'c-1' });
    const calls = await upstreamCalls(catalogOps, 'GetCategoryTree');
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    }
    expect(await upstreamCalls(catalogOps, 'GetCategoryTree')).toBe(calls + 2);
    const forged = await fetch(url, { headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    // The anonymous request after them is a miss: nothing the authenticated ones got was stored.
    const before = await counter(stack.ops, 'gateway_response_cache_total', { result: 'miss' });
    await fetch(url);
    expect(await counter(stack.ops, 'gateway_response_cache_total', { result: 'miss' })).toBe(before + 1);
  });

  it('does not keep failures', async () => {
    const url = `${stack.url}/ordersystem.catalog.v1.CatalogService/GetProduct${query({ id: 'not-a-uuid' })}`;
    const first = await fetch(url);
    expect(first.status).toBe(400);
    const calls = await upstreamCalls(catalogOps, 'GetProduct');
    expect((await fetch(url)).status).toBe(400);
    expect(await upstreamCalls(catalogOps, 'GetProduct')).toBeGreaterThanOrEqual(calls);
  });
});
