/**
 * An OrderService that accepts every call and never answers, run as its own process (Node strips
 * the types) so a test can SIGKILL it with calls in flight, as a crash would. It logs the
 * listening port like a service, and one line per call it holds.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';

const hold = (method: string) => {
  process.stdout.write(`${JSON.stringify({ held: method })}\n`);
  return new Promise<never>(() => undefined);
};

const server = http2.createServer(
  connectNodeAdapter({
    routes: (router) =>
      router.service(OrderService, { placeOrder: () => hold('PlaceOrder'), getOrder: () => hold('GetOrder') }),
  }),
);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port, opsPort: port })}\n`);
});
