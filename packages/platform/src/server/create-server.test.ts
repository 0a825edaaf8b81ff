import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Code, ConnectError, createClient, createContextKey, createContextValues } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { pino } from 'pino';
import { optionalIdentity } from '../auth/identity';
import { createMetrics } from '../metrics';
import { createServer, type FrontListener, type Server, type ServerOptions } from './create-server';
import { Readiness } from './readiness';

/** A promise with its resolve exposed, to hold a handler until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

function build(getOrder: (ctx: { signal: AbortSignal }) => Promise<void>, extra: Partial<ServerOptions> = {}) {
  const logger = pino({ level: 'silent' });
  const warn = jest.spyOn(logger, 'warn');
  const readiness = new Readiness();
  const server = createServer({
    service: 'test',
    logger,
    metrics: createMetrics('test'),
    readiness,
    routes: (router) =>
      router.service(OrderService, {
        async getOrder(req, ctx) {
          await getOrder(ctx);
          return { order: { id: req.id } };
        },
      }),
    ...extra,
  });
  return { server, readiness, warn };
}

async function listen(server: Server) {
  const { port, opsPort } = await server.listen('127.0.0.1', 0, 0);
  return {
    orders: createClient(OrderService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` })),
    port,
    ops: `http://127.0.0.1:${opsPort}`,
  };
}

/** The error code of a plain TCP connection attempt ('connected' when it was accepted). */
const connectTo = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

describe('createServer', () => {
  it('drains on close: not ready at once, the call in flight finishes, then nothing is accepted', async () => {
    const [entered, release] = [gate(), gate()];
    const { server, readiness, warn } = build(async () => {
      entered.open();
      await release.opened;
    });
    const { orders, port, ops } = await listen(server);
    const inFlight = orders.getOrder({ id: 'o-1' });
    await entered.opened;

    const closed = server.close(10_000);
    expect(readiness.isDraining).toBe(true);
    expect((await fetch(`${ops}/readyz`)).status).toBe(503);
    release.open();
    expect((await inFlight).order?.id).toBe('o-1');
    await closed;
    expect(warn).not.toHaveBeenCalled();
    expect(await connectTo(port)).toBe('ECONNREFUSED');
  });

  it('cuts off calls still running when the grace period is over', async () => {
    const entered = gate();
    const { server, warn } = build(async (ctx) => {
      entered.open();
      // Only the shutdown signal ends this call.
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      throw new ConnectError('stopped', Code.Unavailable);
    });
    const { orders } = await listen(server);
    const inFlight = orders.getOrder({ id: 'o-1' }).catch((err: unknown) => err);
    await entered.opened;
    const started = Date.now();
    await server.close(100);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await inFlight).toBeInstanceOf(ConnectError);
    expect(warn).toHaveBeenCalledWith('grace period over, cutting off remaining calls');
  });

  it('at the edge: serves through the given front, with its context values, never trusting identity headers', async () => {
    const seenKey = createContextKey<string>('none');
    const seen: Array<{ fromFront: string; identity: unknown }> = [];
    const frontEvents: string[] = [];
    const { server } = build(async () => undefined, {
      routes: (router) =>
        router.service(OrderService, {
          async getOrder(req, ctx) {
            seen.push({ fromFront: ctx.values.get(seenKey), identity: optionalIdentity(ctx) });
            return { order: { id: req.id } };
          },
        }),
      readinessDetails: async () => ({ upstreams: { orders: 'SERVING' } }),
      edge: {
        front: (connect) => {
          const h1 = http.createServer(connect);
          const front: FrontListener = {
            listen: (host, port) =>
              new Promise((resolve) => h1.listen(port, host, () => resolve((h1.address() as AddressInfo).port))),
            close: () => {
              frontEvents.push('close');
              const closed = new Promise<void>((resolve) => h1.close(() => resolve()));
              h1.closeIdleConnections();
              return closed;
            },
            force: () => void frontEvents.push('force'),
          };
          return front;
        },
        contextValues: () => createContextValues().set(seenKey, 'set by the front'),
        loggerFor: () => undefined,
      },
    });
    const { port, opsPort } = await server.listen('127.0.0.1', 0, 0);
    const orders = createClient(
      OrderService,
      createConnectTransport({ baseUrl: `http://127.0.0.1:${port}`, httpVersion: '1.1' }),
    );
    await orders.getOrder({ id: 'o-1' }, { headers: { 'x-ordersystem-customer-id': 'spoofed' } });
    expect(seen).toEqual([{ fromFront: 'set by the front', identity: undefined }]);
    expect(await (await fetch(`http://127.0.0.1:${opsPort}/readyz`)).json()).toMatchObject({
      upstreams: { orders: 'SERVING' },
    });
    await server.close(10_000);
    expect(frontEvents).toEqual(['close']);
  });
});
