import type http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { createDualProtocolServer, type DualProtocolServer } from './dual-protocol-server';

/** A socket whose every write goes out one byte at a time, so the sniffer sees fragments. */
function tricklingSocket(port: number): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
  (socket as unknown as { write: (chunk: Buffer | string, ...rest: unknown[]) => boolean }).write = (
    chunk,
    ...rest
  ) => {
    const bytes = Buffer.from(chunk as Buffer);
    for (const byte of bytes) write(Buffer.from([byte]));
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  };
  return socket;
}

describe('one port for HTTP/1.1 and HTTP/2', () => {
  let server: DualProtocolServer;
  let port: number;

  beforeAll(async () => {
    server = createDualProtocolServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => (res as http.ServerResponse).writeHead(200).end(`${req.httpVersion} ${req.method} ${body}`));
    });
    port = await server.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    server.force();
    await server.close();
  });

  it('serves HTTP/1.1', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'hello' });
    expect(await res.text()).toBe('1.1 POST hello');
  });

  it('serves a HTTP/1.1 request that arrives one byte at a time (POST starts like the HTTP/2 preface)', async () => {
    const socket = tricklingSocket(port);
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi');
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    expect(reply).toContain('\r\n1.1 POST hi\r\n');
  });

  it.each([false, true])('serves HTTP/2 with prior knowledge (preface fragmented: %s)', async (fragmented) => {
    const session = http2.connect(
      `http://127.0.0.1:${port}`,
      fragmented ? { createConnection: () => tricklingSocket(port) } : {},
    );
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const req = session.request({ ':method': 'POST', ':path': '/' });
        let data = '';
        req.on('data', (c: Buffer) => (data += c.toString()));
        req.on('end', () => resolve(data));
        req.on('error', reject);
        req.end('h2');
      });
      expect(text).toBe('2.0 POST h2');
    } finally {
      session.close();
    }
  });
});

describe('connection age on the public port', () => {
  let server: DualProtocolServer;
  let port: number;

  beforeAll(async () => {
    server = createDualProtocolServer((_req, res) => (res as http.ServerResponse).writeHead(200).end('ok'), 100);
    port = await server.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    server.force();
    await server.close();
  });

  it('closes a kept-alive HTTP/1.1 connection with its first response after the maximum age', async () => {
    const socket = net.connect(port, '127.0.0.1');
    const replies: string[] = [];
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString()));
    const ask = async () => {
      const before = text.length;
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      // One chunked response ends with its last chunk: 0 CRLF CRLF.
      while (!text.slice(before).endsWith('\r\n0\r\n\r\n')) await new Promise((r) => setTimeout(r, 5));
      replies.push(text.slice(before));
    };
    await ask();
    expect(replies[0]).toMatch(/connection: keep-alive/i);
    await new Promise((r) => setTimeout(r, 150));
    const ended = new Promise<void>((resolve) => socket.once('end', resolve));
    await ask();
    expect(replies[1]).toMatch(/connection: close/i);
    await ended;
    socket.destroy();
  });

  it('sends GOAWAY to an HTTP/2 session after the maximum age', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const req = session.request({ ':path': '/' });
      req.on('error', reject);
      req.resume();
      req.on('end', resolve);
    });
    await goaway;
    session.destroy();
  });
});
