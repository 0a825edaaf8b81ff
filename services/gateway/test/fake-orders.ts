import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Code, ConnectError } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';

/** What the fake upstream saw of one call. */
export interface SeenCall {
  method: string;
  id: string;
  headers: Record<string, string>;
  timeoutMs: number | undefined;
}

/**
 * An OrderService stand-in that records exactly what the gateway sends upstream, and misbehaves on
 * request: id "flaky-*" fails once with unavailable, "slow" outlives any deadline, and CancelOrder
 * is always unavailable. Only for what a real service cannot be asked to do.
 */
export async function startFakeOrders(): Promise<{ url: string; calls: SeenCall[]; close: () => Promise<void> }> {
  const calls: SeenCall[] = [];
  const failedOnce = new Set<string>();
  const record = (method: string, id: string, ctx: { requestHeader: Headers; timeoutMs(): number | undefined }) =>
    calls.push({ method, id, headers: Object.fromEntries(ctx.requestHeader), timeoutMs: ctx.timeoutMs() });
  const handler = connectNodeAdapter({
    routes: (router) =>
      router.service(OrderService, {
        async getOrder(req, ctx) {
          record('GetOrder', req.id, ctx);
          if (req.id.startsWith('flaky') && !failedOnce.has(req.id)) {
            failedOnce.add(req.id);
            throw new ConnectError('try again', Code.Unavailable);
          }
          // Outlives the gateway's deadline; once the gateway cancels there is nobody left to answer.
          if (req.id === 'slow') await new Promise<never>(() => ctx.signal.addEventListener('abort', () => undefined));
          return { order: { id: req.id } };
        },
        async cancelOrder(req, ctx) {
          record('CancelOrder', req.id, ctx);
          throw new ConnectError('try again', Code.Unavailable);
        },
      }),
  });
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => (sessions.add(s), s.once('close', () => sessions.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
