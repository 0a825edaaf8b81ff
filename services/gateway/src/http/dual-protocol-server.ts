import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { Socket } from 'node:net';
import { closeUnreadBodyWhenAnswered, DEFAULT_MAX_CONNECTION_AGE_MS, limitConnectionAge } from '@ordersystem/platform';
import type { NodeRequest, NodeResponse } from './respond.js';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** A connection that has not said which protocol it speaks by then is dropped (idle-socket abuse). */
const SNIFF_TIMEOUT_MS = 10_000;

export interface DualProtocolServer {
  listen(host: string, port: number): Promise<number>;
  /**
   * Drains: stops accepting, sends GOAWAY to HTTP/2 sessions, closes idle HTTP/1.1 connections at
   * once and every other one after its current response (which says `Connection: close`);
   * resolves when the last connection is gone. `force` cuts the rest.
   */
  close(): Promise<void>;
  force(): void;
}

/**
 * HTTP/1.1 and cleartext HTTP/2 (prior knowledge, as gRPC clients use) on one port. Node's h2c
 * server does not fall back to HTTP/1.1, so each new connection's first bytes are read: the
 * HTTP/2 connection preface selects the HTTP/2 server, anything else the HTTP/1.1 server. The
 * bytes read are pushed back onto the socket before it is handed over, so nothing is lost.
 */
export function createDualProtocolServer(
  handler: (req: NodeRequest, res: NodeResponse) => void,
  maxConnectionAgeMs = DEFAULT_MAX_CONNECTION_AGE_MS,
): DualProtocolServer {
  let draining = false;
  const answering = new Set<http.ServerResponse>();
  // A load balancer in front keeps its connections for as long as we do; ageing them out (GOAWAY
  // for HTTP/2, `Connection: close` on the next HTTP/1.1 response) lets new replicas get traffic.
  const openedAt = new WeakMap<Socket, number>();
  const tooOld = (socket: Socket) =>
    maxConnectionAgeMs > 0 && Date.now() - (openedAt.get(socket) ?? Date.now()) >= maxConnectionAgeMs;
  const h1 = http.createServer((req, res) => {
    // Node keeps serving kept-alive connections after close(); while draining, each is closed after its response.
    if (draining || tooOld(req.socket)) res.setHeader('connection', 'close');
    answering.add(res);
    res.once('close', () => answering.delete(res));
    closeUnreadBodyWhenAnswered(req, res);
    res.once('finish', () => {
      if (draining) setImmediate(() => h1.closeIdleConnections());
    });
    handler(req, res);
  });
  const h2 = http2.createServer((req, res) => {
    closeUnreadBodyWhenAnswered(req, res);
    handler(req, res);
  });
  limitConnectionAge(h2, maxConnectionAgeMs);
  const sockets = new Set<Socket>();
  const sniffing = new Set<Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    if (draining) session.close();
  });
  const front = net.createServer((socket) => {
    openedAt.set(socket, Date.now());
    sockets.add(socket);
    sniffing.add(socket);
    socket.once('close', () => (sockets.delete(socket), sniffing.delete(socket)));
    sniff(socket, (isH2) => {
      sniffing.delete(socket);
      (isH2 ? h2 : h1).emit('connection', socket);
    });
  });

  return {
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        front.once('error', reject);
        front.listen(port, host, () => {
          front.off('error', reject);
          resolve((front.address() as net.AddressInfo).port);
        });
      }),
    async close() {
      draining = true;
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      // Connected but silent: no request was accepted on it yet.
      for (const socket of sniffing) socket.destroy();
      for (const session of sessions) session.close();
      for (const res of answering) if (!res.headersSent) res.setHeader('connection', 'close');
      h1.closeIdleConnections();
      await closed;
    },
    force() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Reads until the bytes either match the whole preface or diverge from it, then unshifts them. */
function sniff(socket: Socket, route: (isH2: boolean) => void): void {
  let seen = Buffer.alloc(0);
  const onReadable = () => {
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
      seen = Buffer.concat([seen, chunk]);
    }
    const n = Math.min(seen.length, H2_PREFACE.length);
    const prefixOfPreface = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
    if (prefixOfPreface && seen.length < H2_PREFACE.length) return;
    socket.off('readable', onReadable);
    socket.off('end', onEnd);
    socket.setTimeout(0);
    socket.unshift(seen);
    route(prefixOfPreface);
  };
  const onEnd = () => socket.destroy();
  socket.setTimeout(SNIFF_TIMEOUT_MS, () => socket.destroy());
  socket.on('readable', onReadable);
  socket.once('end', onEnd);
  socket.on('error', () => socket.destroy());
}
