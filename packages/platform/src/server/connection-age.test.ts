import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClient } from '@connectrpc/connect';
import { OrderService } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { pino } from 'pino';
import { createServiceTransport } from '../client/transport';
import { createMetrics } from '../metrics';
import { limitConnectionAge } from './connection-age';
import { createServer, type Server } from './create-server';
import { Readiness } from './readiness';

/** One "replica": a service server whose GetOrder answers with the replica's name as the order id. */
async function replica(name: string, maxConnectionAgeMs: number): Promise<{ server: Server; port: number }> {
  const server = createServer({
    service: name,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(name),
    readiness: new Readiness(),
    routes: (router) => router.service(OrderService, { getOrder: async () => ({ order: { id: name } }) }),
    maxConnectionAgeMs,
  });
  const { port } = await server.listen('127.0.0.1', 0, 0);
  return { server, port };
}

/** A connection-level balancer, as a Kubernetes Service is: each new TCP connection goes to the next replica. */
async function roundRobin(ports: number[]): Promise<{ server: net.Server; port: number }> {
  let next = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(ports[next++ % ports.length]!, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The services' own client: one connection, kept until the server sends GOAWAY. */
const ordersAt = (port: number) =>
  createClient(OrderService, createServiceTransport({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000 }));

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('limitConnectionAge', () => {
  it('moves a long-lived caller onto a replica added after it connected', async () => {
    const first = await replica('first', 100);
    const second = await replica('second', 100);
    const lb = await roundRobin([first.port, second.port]);
    const orders = ordersAt(lb.port);
    try {
      const seen = new Set<string>();
      // Without a maximum age the one connection stays on `first` forever and this never ends.
      while (seen.size < 2) {
        seen.add((await orders.getOrder({ id: 'o-1' })).order!.id);
        await pause(20);
      }
      expect(seen).toEqual(new Set(['first', 'second']));
    } finally {
      lb.server.close();
      await Promise.all([first.server.close(1_000), second.server.close(1_000)]);
    }
  });

  it('loses no call to a rotation: calls sent as the GOAWAY goes out are repeated, none waits for its deadline', async () => {
    // A connection closes every ~20 ms, so a few hundred calls at random moments race dozens of
    // GOAWAYs. The two-step GOAWAY this replaced left ~4 % of them hanging until their deadline,
    // and without the client's repeat ~10 % fail as refused streams.
    const { server, port } = await replica('only', 20);
    const orders = ordersAt(port);
    const failures: string[] = [];
    try {
      for (let i = 0; i < 400; i++) {
        await orders.getOrder({ id: 'o-1' }).catch((err: Error) => failures.push(err.message));
        await pause(Math.random() * 10);
      }
      expect(failures).toEqual([]);
    } finally {
      await server.close(1_000);
    }
  });

  it('lets a call in flight finish on the old connection', async () => {
    let release: () => void = () => undefined;
    const server = http2.createServer((_req, res) => {
      release = () => res.end('done');
    });
    limitConnectionAge(server, 50);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const session = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
      const req = session.request({ ':path': '/' });
      req.end();
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      const ended = new Promise<void>((resolve) => req.on('end', () => resolve()));
      await goaway;
      release();
      await ended;
      expect(body).toBe('done');
    } finally {
      session.close();
      server.close();
    }
  });
});
