import http2 from 'node:http2';
import { brotliCompressSync } from 'node:zlib';
import { Code } from '@connectrpc/connect';
import type { ProductSort } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { MAX_PRICE_MINOR } from '../src/domain/product';
import { ADMIN, type Catalog, aCategory, aProduct, expectRpcError, startCatalog, uniq } from './fixtures';

const LIST = '/ordersystem.catalog.v1.CatalogService/ListProducts';
/** A protobuf message cut short: field 1 announces 5 bytes and none follow. */
const TRUNCATED = Buffer.from([0x0a, 0x05]);
const grpcFrame = (message: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);

/** One HTTP/2 exchange with its raw headers, body and trailers. */
async function h2(base: string, headers: http2.OutgoingHttpHeaders, body: Buffer) {
  const session = http2.connect(base);
  try {
    return await new Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        const req = session.request({ ':method': 'POST', ...headers });
        let h: http2.IncomingHttpHeaders = {};
        let t: http2.IncomingHttpHeaders = {};
        let text = '';
        req.on('response', (x) => (h = x));
        req.on('trailers', (x) => (t = x));
        req.on('data', (c: Buffer) => (text += c.toString()));
        // 'close', not 'end': the trailers event may come after the end of the data.
        req.on('close', () => resolve({ headers: h, trailers: t, body: text }));
        req.on('error', reject);
        req.end(body);
      },
    );
  } finally {
    session.close();
  }
}

/**
 * The internal side of issue 13: the catalog's own h2c port (gRPC for the other services, Connect
 * too) answers client mistakes as client mistakes, whoever sends them.
 */
describe('catalog process: client mistakes on the internal port', () => {
  let c: Catalog;
  const productCount = async () => Number((await c.sql<{ n: string }>('select count(*) as n from products'))[0]!.n);

  beforeAll(async () => {
    c = await startCatalog();
  }, 60_000);
  afterAll(() => c?.stop(), 30_000);

  it('gRPC: a message that is not valid protobuf is grpc-status 3, not 13', async () => {
    const reply = await h2(
      c.url,
      { ':path': LIST, 'content-type': 'application/grpc', te: 'trailers' },
      grpcFrame(TRUNCATED),
    );
    expect(reply.trailers['grpc-status'] ?? reply.headers['grpc-status']).toBe(String(Code.InvalidArgument));
  });

  it('Connect: invalid protobuf and a truncated br body are 400 invalid_argument', async () => {
    const proto = await h2(c.url, { ':path': LIST, 'content-type': 'application/proto' }, TRUNCATED);
    expect({ status: proto.headers[':status'], code: JSON.parse(proto.body).code }).toEqual({
      status: 400,
      code: 'invalid_argument',
    });
    const full = brotliCompressSync(Buffer.from(JSON.stringify({ query: 'x'.repeat(200) })));
    const br = await h2(
      c.url,
      { ':path': LIST, 'content-type': 'application/json', 'content-encoding': 'br' },
      full.subarray(0, full.length - 3),
    );
    expect({ status: br.headers[':status'], code: JSON.parse(br.body).code }).toEqual({
      status: 400,
      code: 'invalid_argument',
    });
  });

  it('gRPC: an unknown method is a trailers-only response with grpc-status 12', async () => {
    const reply = await h2(
      c.url,
      { ':path': '/ordersystem.orders.v1.OrderService/GetOrder', 'content-type': 'application/grpc', te: 'trailers' },
      grpcFrame(Buffer.alloc(0)),
    );
    expect({ status: reply.headers[':status'], grpcStatus: reply.headers['grpc-status'] }).toEqual({
      status: 200,
      grpcStatus: '12',
    });
  });

  it('Connect: an unknown procedure is 404 with a JSON body, a deadline of 0 is invalid_argument', async () => {
    const unknown = await h2(
      c.url,
      { ':path': '/ordersystem.orders.v1.OrderService/GetOrder', 'content-type': 'application/json' },
      Buffer.from('{}'),
    );
    expect({ status: unknown.headers[':status'], code: JSON.parse(unknown.body).code }).toEqual({
      status: 404,
      code: 'unimplemented',
    });
    const zero = await h2(
      c.url,
      { ':path': LIST, 'content-type': 'application/json', 'connect-timeout-ms': '0' },
      Buffer.from('{}'),
    );
    expect({ status: zero.headers[':status'], code: JSON.parse(zero.body).code }).toEqual({
      status: 400,
      code: 'invalid_argument',
    });
  });

  it('refuses U+0000 in any text it would store or search, naming the field, and writes nothing', async () => {
    const cat = await aCategory(c);
    const before = await productCount();
    await expectRpcError(
      c.catalog.createProduct({ product: aProduct(cat, { name: 'Kettle\u0000' }) }, ADMIN),
      Code.InvalidArgument,
      'product.name',
    );
    await expectRpcError(
      c.catalog.createCategory({ name: 'Tea\u0000', slug: uniq('cat') }, ADMIN),
      Code.InvalidArgument,
      'name',
    );
    await expectRpcError(c.catalog.listProducts({ query: 'kettle\u0000' }), Code.InvalidArgument, 'query');
    expect(await productCount()).toBe(before);
  });

  it('refuses an undefined sort instead of serving the default order', async () => {
    await expectRpcError(c.catalog.listProducts({ sort: 42 as ProductSort }), Code.InvalidArgument, 'sort');
  });

  it('refuses a price that could overflow an order total, and writes nothing', async () => {
    const cat = await aCategory(c);
    const before = await productCount();
    const price = { currencyCode: 'KES', amountMinor: MAX_PRICE_MINOR + 1n };
    await expectRpcError(
      c.catalog.createProduct({ product: aProduct(cat, { price }) }, ADMIN),
      Code.InvalidArgument,
      'product.price.amount_minor',
    );
    expect(await productCount()).toBe(before);
  });
});
