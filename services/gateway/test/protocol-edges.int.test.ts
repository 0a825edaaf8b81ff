import { infraEnv, type RunningService, startService } from '@ordersystem/testing';
import { TRUNCATED_PROTO, grpcFrame, h2Request, onOneConnection, truncatedBrotli } from './raw-http';

// Processes start on a shared 2-core machine; the project-level testTimeout is not applied per
// project by jest, so it is set here.
jest.setTimeout(30_000);

const LIST = '/ordersystem.catalog.v1.CatalogService/ListProducts';
const PLACE = '/ordersystem.orders.v1.OrderService/PlaceOrder';
const LIST_ORDERS = '/ordersystem.orders.v1.OrderService/ListOrders';

interface ErrorBody {
  code: string;
  message: string;
  details?: Array<{ debug?: { fieldViolations?: Array<{ field: string }> } }>;
}
const fieldsOf = (body: ErrorBody) =>
  (body.details ?? []).flatMap((d) => d.debug?.fieldViolations?.map((v) => v.field) ?? []);

/**
 * Client mistakes at the public door, each answered as the client's mistake in the protocol it
 * speaks (issue 13). The gateway runs alone: every case is refused before any upstream is called.
 */
describe('gateway: client mistakes are never a 500 and never an empty answer', () => {
  let svc: RunningService;
  let base: string;
  const send = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      ...init,
      headers: { 'content-type': 'application/json', ...init.headers },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: (text ? JSON.parse(text) : {}) as ErrorBody };
  };

  beforeAll(async () => {
    svc = await startService('gateway', {
      CUSTOMERS_URL: 'http://127.0.0.1:9',
      CATALOG_URL: 'http://127.0.0.1:9',
      ORDERS_URL: 'http://127.0.0.1:9',
      REDIS_URL: infraEnv().redisUrl,
      RATE_LIMIT_PREFIX: `gw-edges-${process.pid}-${Date.now()}`,
      TOKEN_ISSUER: 'http://gateway.test',
      TOKEN_AUDIENCE: 'ordersystem-test',
      MAX_BODY_BYTES: '1024',
    });
    base = `http://127.0.0.1:${svc.port}`;
  }, 30_000);
  afterAll(async () => expect(await svc?.stop()).toBe(0), 30_000);

  describe('malformed protobuf and compression are invalid_argument', () => {
    it('Connect POST application/proto that is not valid protobuf', async () => {
      const res = await send(LIST, { headers: { 'content-type': 'application/proto' }, body: TRUNCATED_PROTO });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'invalid_argument' });
    });

    it('Connect GET with encoding=proto and a truncated message', async () => {
      const query = new URLSearchParams({
        connect: 'v1',
        encoding: 'proto',
        base64: '1',
        message: Buffer.from(TRUNCATED_PROTO).toString('base64url'),
      });
      const res = await fetch(`${base}${LIST}?${query}`);
      expect({ status: res.status, code: ((await res.json()) as ErrorBody).code }).toEqual({
        status: 400,
        code: 'invalid_argument',
      });
    });

    it('gRPC with a message that is not valid protobuf: grpc-status 3', async () => {
      const reply = await h2Request(
        base,
        { ':path': LIST, 'content-type': 'application/grpc', te: 'trailers' },
        grpcFrame(TRUNCATED_PROTO),
      );
      expect(reply.trailers['grpc-status'] ?? reply.headers['grpc-status']).toBe('3');
    });

    it('a truncated br body', async () => {
      const res = await send(LIST, {
        headers: { 'content-encoding': 'br' },
        body: truncatedBrotli({ query: 'x'.repeat(200) }),
      });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'invalid_argument' });
    });
  });

  it('refuses U+0000 in a text field with invalid_argument naming it', async () => {
    const res = await send(LIST, { body: JSON.stringify({ query: 'tea\u0000' }) });
    expect({ status: res.status, code: res.body.code, fields: fieldsOf(res.body) }).toEqual({
      status: 400,
      code: 'invalid_argument',
      fields: ['query'],
    });
  });

  it.each([
    ['an unknown name', 'PRODUCT_SORT_CHEAPEST'],
    ['an undefined number', 99],
  ])('refuses %s for an enum (ListProducts sort) instead of serving the default', async (_what, sort) => {
    const res = await send(LIST, { body: JSON.stringify({ sort }) });
    expect({ status: res.status, fields: fieldsOf(res.body) }).toEqual({ status: 400, fields: ['sort'] });
  });

  it.each([
    [PLACE, { deliveryAddress: 5 }, 'delivery_address'],
    [PLACE, { lines: [{ quantity: '2' }, { quantity: 'two' }] }, 'lines[1].quantity'],
    [LIST_ORDERS, { createdAfter: 'yesterday' }, 'created_after'],
  ])('names the field of a JSON value of the wrong type (%s %j)', async (path, message, field) => {
    const res = await send(path, { body: JSON.stringify(message) });
    expect({ status: res.status, code: res.body.code, fields: fieldsOf(res.body) }).toEqual({
      status: 400,
      code: 'invalid_argument',
      fields: [field],
    });
    expect(res.body.message).toContain(field);
  });

  it('answers an oversized chunked body with 413 and keeps the connection usable', async () => {
    const head = `POST ${LIST} HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const raw = await onOneConnection(svc.port, [
      async (write) => {
        await write(head);
        for (let i = 0; i < 16; i++) await write(`fa0\r\n${'x'.repeat(4000)}\r\n`);
        await write('0\r\n\r\n');
      },
      (write) =>
        write(
          `POST ${LIST} HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"query":"x"}`,
        ),
    ]);
    const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    // The second request reaches the routing: upstreams are down here, so it is 503 unavailable.
    expect(statuses).toEqual([413, 503]);
    expect(raw).toContain('"code":"resource_exhausted"');
  });

  it('answers an oversized body over HTTP/2 with 413, and the stream still ends', async () => {
    const reply = await h2Request(
      base,
      { ':path': LIST, 'content-type': 'application/json' },
      Buffer.from(`{"query":"${'x'.repeat(100_000)}"}`),
    );
    expect({ status: reply.headers[':status'], code: (JSON.parse(reply.body.toString()) as ErrorBody).code }).toEqual({
      status: 413,
      code: 'resource_exhausted',
    });
  });

  describe('transport-level refusals carry a Connect JSON body', () => {
    it('415 for a content type Connect does not speak, and for a GET with a bad encoding', async () => {
      for (const res of [
        await send(LIST, { headers: { 'content-type': 'text/plain' }, body: '{}' }),
        await send(`${LIST}?connect=v1&encoding=xml&message=x`, { method: 'GET' }),
      ]) {
        expect({ status: res.status, type: res.headers.get('content-type'), code: res.body.code }).toEqual({
          status: 415,
          type: 'application/json',
          code: 'invalid_argument',
        });
      }
    });

    it('404 for an unknown procedure or path', async () => {
      const rpc = await send('/ordersystem.catalog.v1.InventoryService/ReserveStock', { body: '{}' });
      expect({ status: rpc.status, code: rpc.body.code }).toEqual({ status: 404, code: 'unimplemented' });
      const other = await send('/nowhere', { method: 'GET' });
      expect({ status: other.status, code: other.body.code }).toEqual({ status: 404, code: 'not_found' });
    });

    it('405 with Allow for an HTTP method the procedure does not take', async () => {
      const put = await send(LIST, { method: 'PUT', body: '{}' });
      expect({ status: put.status, allow: put.headers.get('allow'), code: put.body.code }).toEqual({
        status: 405,
        allow: 'POST, GET',
        code: 'unimplemented',
      });
      const get = await send(`${PLACE}?connect=v1&encoding=json&message={}`, { method: 'GET' });
      expect({ status: get.status, allow: get.headers.get('allow') }).toEqual({ status: 405, allow: 'POST' });
    });

    it('gRPC: an unknown method is a trailers-only response with grpc-status 12', async () => {
      const reply = await h2Request(
        base,
        {
          ':path': '/ordersystem.catalog.v1.InventoryService/ReserveStock',
          'content-type': 'application/grpc',
          te: 'trailers',
        },
        grpcFrame(new Uint8Array()),
      );
      expect({ status: reply.headers[':status'], grpcStatus: reply.headers['grpc-status'] }).toEqual({
        status: 200,
        grpcStatus: '12',
      });
    });
  });

  it.each(['0', 'soon', '-5'])('refuses Connect-Timeout-Ms %j with invalid_argument, not 504', async (value) => {
    const res = await send(LIST, { headers: { 'connect-timeout-ms': value }, body: '{}' });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'invalid_argument' });
  });
});
