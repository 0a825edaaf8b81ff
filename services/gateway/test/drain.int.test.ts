import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { infraEnv, type RunningService, startService } from '@ordersystem/testing';

jest.setTimeout(60_000);

const LIST = '/ordersystem.catalog.v1.CatalogService/ListProducts';
const ANSWER_MS = 200;
const GRACE_MS = 15_000;

/** A CatalogService whose every listing takes ANSWER_MS, so calls are in flight when SIGTERM lands. */
async function startSlowCatalog() {
  const server = http2.createServer(
    connectNodeAdapter({
      routes: (router) =>
        router.service(CatalogService, {
          listProducts: async () => {
            await new Promise((r) => setTimeout(r, ANSWER_MS));
            return {};
          },
        }),
    }),
  );
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => (sessions.add(s), s.once('close', () => sessions.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const s of sessions) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Outcome {
  id: string;
  /** HTTP status, or the client-side error code when no answer came. */
  result: number | string;
  connection?: string;
  at: number;
}

/** One kept-alive HTTP/1.1 connection sending ListProducts back to back until the connection is refused or closed. */
async function h1Loop(port: number, name: string, until: () => boolean, out: Outcome[]): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let n = 0; !until(); n++) {
      const id = `drain-${name}-${n}`;
      const outcome = await new Promise<Outcome>((resolve) => {
        const req = http.request(
          {
            port,
            host: '127.0.0.1',
            path: LIST,
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'x-request-id': id },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({ id, result: res.statusCode ?? 0, connection: res.headers.connection, at: Date.now() }),
            );
          },
        );
        req.on('error', (err: NodeJS.ErrnoException) =>
          resolve({ id, result: err.code ?? err.message, at: Date.now() }),
        );
        req.end('{}');
      });
      out.push(outcome);
      if (typeof outcome.result === 'string') return;
    }
  } finally {
    agent.destroy();
  }
}

/** The same over one HTTP/2 session, until GOAWAY refuses new streams. */
async function h2Loop(base: string, until: () => boolean, out: Outcome[]): Promise<void> {
  const session = http2.connect(base);
  session.on('error', () => undefined);
  try {
    for (let n = 0; !until(); n++) {
      const id = `drain-h2-${n}`;
      const outcome = await new Promise<Outcome>((resolve) => {
        try {
          const req = session.request({
            ':method': 'POST',
            ':path': LIST,
            'content-type': 'application/json',
            'x-request-id': id,
          });
          let status = 0;
          req.on('response', (h) => (status = Number(h[':status'])));
          req.on('data', () => undefined);
          req.on('end', () => resolve({ id, result: status, at: Date.now() }));
          req.on('error', (err: NodeJS.ErrnoException) =>
            resolve({ id, result: err.code ?? err.message, at: Date.now() }),
          );
          req.end('{}');
        } catch (err) {
          resolve({ id, result: (err as NodeJS.ErrnoException).code ?? 'refused', at: Date.now() });
        }
      });
      out.push(outcome);
      if (typeof outcome.result === 'string') return;
    }
  } finally {
    session.destroy();
  }
}

/** A kept-alive HTTP/1.1 connection that answered once and then sits idle; resolves with when it was closed. */
async function idleConnection(port: number): Promise<Promise<number>> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  socket.on('error', () => undefined);
  const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
  socket.write(`POST ${LIST} HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
  await answered;
  return closed;
}

const refusedOrAccepted = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve('accepted')));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

describe('gateway drain on SIGTERM (issue 16)', () => {
  let catalog: Awaited<ReturnType<typeof startSlowCatalog>>;
  let svc: RunningService;

  beforeAll(async () => {
    catalog = await startSlowCatalog();
    svc = await startService('gateway', {
      CUSTOMERS_URL: 'http://127.0.0.1:9',
      CATALOG_URL: catalog.url,
      ORDERS_URL: 'http://127.0.0.1:9',
      REDIS_URL: infraEnv().redisUrl,
      RATE_LIMIT_PREFIX: `gw-drain-${process.pid}-${Date.now()}`,
      RATE_LIMIT_IP_POINTS: '100000',
      TOKEN_ISSUER: 'http://gateway.test',
      TOKEN_AUDIENCE: 'ordersystem-test',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
    });
  }, 30_000);
  afterAll(async () => {
    await svc?.stop('SIGKILL');
    await catalog?.close();
  });

  it('under load on kept-alive connections: every accepted request succeeds and the process exits well within the grace period', async () => {
    const outcomes: Outcome[] = [];
    const giveUpAt = Date.now() + GRACE_MS + 10_000;
    const until = () => Date.now() > giveUpAt;
    const loops = [
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((name) => h1Loop(svc.port, name, until, outcomes)),
      h2Loop(`http://127.0.0.1:${svc.port}`, until, outcomes),
    ];
    while (outcomes.filter((o) => o.result === 200).length < 20) await new Promise((r) => setTimeout(r, 20));
    const idle = await Promise.all([idleConnection(svc.port), idleConnection(svc.port)]);

    const sigterm = Date.now();
    const exited = svc.stop('SIGTERM');
    let ready = 200;
    while (ready === 200) ready = (await fetch(`http://127.0.0.1:${svc.opsPort}/readyz`)).status;
    expect(ready).toBe(503);
    expect(await refusedOrAccepted(svc.port)).toBe('ECONNREFUSED');

    expect(await exited).toBe(0);
    const exitMs = Date.now() - sigterm;
    await Promise.all(loops);
    const idleClosedMs = (await Promise.all(idle)).map((at) => at - sigterm);
    // Let the last log lines through the pipe.
    await new Promise((r) => setTimeout(r, 300));

    expect(exitMs).toBeLessThan(5_000);
    expect(Math.max(...idleClosedMs)).toBeLessThan(1_500);
    expect(svc.logs.some((l) => String(l.message ?? '').includes('grace period over'))).toBe(false);
    // Accepted = the gateway logged an answer for it. None of those may have failed.
    const logged = new Map(
      svc.logs
        .filter((l) => l.message === 'request' && typeof l.request_id === 'string')
        .map((l) => [l.request_id as string, l.status]),
    );
    expect(outcomes.filter((o) => logged.has(o.id) && (o.result !== 200 || logged.get(o.id) !== 200))).toEqual([]);
    // In-flight calls finished after SIGTERM, and busy HTTP/1.1 connections were told to close.
    const afterSigterm = outcomes.filter((o) => o.at > sigterm && o.result === 200);
    expect(afterSigterm.length).toBeGreaterThan(0);
    expect(outcomes.some((o) => o.connection === 'close')).toBe(true);
    expect(outcomes.filter((o) => o.connection === 'close').every((o) => o.at > sigterm)).toBe(true);
  });
});
