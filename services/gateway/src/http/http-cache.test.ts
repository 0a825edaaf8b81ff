import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Code, ConnectError } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { cacheResponse } from './http-cache';

/** Real Connect behind the wrapper: GetCategory answers by id, "missing" is not_found. */
const connect = connectNodeAdapter({
  routes: (router) =>
    router.service(CatalogService, {
      async getCategory(req) {
        if (req.id === 'missing') throw new ConnectError('category not found', Code.NotFound);
        return { category: { id: req.id, name: `Category ${req.id}` } };
      },
    }),
});
const handler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => {
  cacheResponse(req, res, 'public, max-age=60');
  connect(req, res);
};
const path = (id: string) =>
  `/ordersystem.catalog.v1.CatalogService/GetCategory?${new URLSearchParams({ connect: 'v1', encoding: 'json', message: JSON.stringify({ id }) })}`;

type Reply = { status: number; etag?: string; cacheControl?: string; body: string };

function h2Get(session: http2.ClientHttp2Session, id: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': path(id), ...headers });
    let head: http2.IncomingHttpHeaders = {};
    let body = '';
    req.on('response', (h) => (head = h));
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () =>
      resolve({
        status: Number(head[':status']),
        etag: head.etag as string,
        cacheControl: head['cache-control'] as string,
        body,
      }),
    );
    req.on('error', reject);
  });
}

async function h1Get(base: string, id: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${base}${path(id)}`, { headers });
  return {
    status: res.status,
    etag: res.headers.get('etag') ?? undefined,
    cacheControl: res.headers.get('cache-control') ?? undefined,
    body: await res.text(),
  };
}

describe.each(['HTTP/1.1', 'HTTP/2'])('HTTP caching over %s', (protocol) => {
  let server: http.Server | http2.Http2Server;
  let session: http2.ClientHttp2Session | undefined;
  let get: (id: string, headers?: Record<string, string>) => Promise<Reply>;

  beforeAll(async () => {
    server = protocol === 'HTTP/2' ? http2.createServer(handler) : http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (protocol === 'HTTP/2') session = http2.connect(base);
    get = (id, headers) => (session ? h2Get(session, id, headers) : h1Get(base, id, headers));
  });
  afterAll(async () => {
    session?.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('adds a strong ETag and Cache-Control to a successful GET', async () => {
    const first = await get('c-1');
    expect(first).toMatchObject({ status: 200, cacheControl: 'public, max-age=60' });
    expect(JSON.parse(first.body)).toEqual({ category: { id: 'c-1', name: 'Category c-1' } });
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect((await get('c-2')).etag).not.toBe(first.etag);
  });

  it('answers a matching If-None-Match with 304 and no body, a stale one with the body', async () => {
    const { etag } = await get('c-1');
    expect(await get('c-1', { 'if-none-match': `"other", W/${etag}` })).toMatchObject({ status: 304, body: '', etag });
    expect((await get('c-1', { 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('leaves errors uncached', async () => {
    const missing = await get('missing');
    expect(missing.status).toBe(404);
    expect(missing.etag).toBeUndefined();
    expect(JSON.parse(missing.body)).toEqual({ code: 'not_found', message: 'category not found' });
  });
});
