import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { limitConnectionAge } from './connection-age.js';

/** One "replica": an h2c server that answers with its own name. */
async function replica(name: string, maxAgeMs: number): Promise<{ server: http2.Http2Server; port: number }> {
  const server = http2.createServer((_req, res) => res.end(name));
  limitConnectionAge(server, maxAgeMs);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
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

/** A caller that keeps one connection and reconnects only when the server sends GOAWAY (as connect-node does). */
function caller(port: number) {
  let session: http2.ClientHttp2Session | undefined;
  const connect = () => {
    const s = http2.connect(`http://127.0.0.1:${port}`);
    s.on('goaway', () => {
      if (session === s) session = undefined;
    });
    s.on('error', () => undefined);
    return s;
  };
  return {
    call(): Promise<string> {
      session ??= connect();
      const req = session.request({ ':path': '/' });
      return new Promise((resolve, reject) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (body += c));
        req.on('end', () => resolve(body));
        req.on('error', reject);
        req.end();
      });
    },
    close: () => session?.close(),
  };
}

describe('limitConnectionAge', () => {
  it('moves a long-lived caller onto a replica added after it connected', async () => {
    const first = await replica('first', 100);
    const second = await replica('second', 100);
    const lb = await roundRobin([first.port, second.port]);
    const client = caller(lb.port);
    try {
      const seen = new Set<string>();
      // Without a maximum age the one connection stays on `first` forever and this never ends.
      while (seen.size < 2) {
        seen.add(await client.call());
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toEqual(new Set(['first', 'second']));
    } finally {
      client.close();
      for (const s of [lb.server, first.server, second.server]) s.close();
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
