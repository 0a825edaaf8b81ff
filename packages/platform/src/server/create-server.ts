import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import type { ConnectRouter, Interceptor } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { identityInterceptor } from '../auth/identity.js';
import { registerHealth } from './health.js';
import { serverObservation, serverTracing } from './interceptors.js';
import { createOpsServer } from './ops-server.js';
import { type Readiness } from './readiness.js';

export interface ServerOptions {
  /** Short service name used in metrics labels and logs ("catalog"). */
  service: string;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  /** Registers the service's RPC implementations. */
  routes: (router: ConnectRouter) => void;
  /** Extra interceptors, run inside tracing and error mapping (e.g. identity). */
  interceptors?: Interceptor[];
  /** Largest accepted request message. */
  readMaxBytes?: number;
}

export interface Server {
  /** Starts the RPC (h2c) and ops (HTTP/1.1) listeners; port 0 picks a free port. */
  listen(host: string, port: number, opsPort: number): Promise<{ port: number; opsPort: number }>;
  /**
   * Graceful stop: readiness flips to not-ready, listeners stop accepting, open HTTP/2 sessions
   * get GOAWAY so in-flight calls finish, and whatever is left after `graceMs` is cut off.
   */
  close(graceMs: number): Promise<void>;
}

/** Builds (does not start) a service's server; only main.ts and tests call listen. */
export function createServer(options: ServerOptions): Server {
  const { readiness, logger } = options;
  const shutdown = new AbortController();
  const serviceNames: string[] = [];
  const handler = connectNodeAdapter({
    routes: (router) => {
      options.routes(router);
      serviceNames.push(...new Set(router.handlers.map((h) => h.service.typeName)));
      registerHealth(router, readiness, () => serviceNames);
    },
    interceptors: [
      serverTracing(),
      serverObservation(options.service, options.metrics, logger),
      identityInterceptor(),
      ...(options.interceptors ?? []),
    ],
    shutdownSignal: shutdown.signal,
    readMaxBytes: options.readMaxBytes ?? 4 * 1024 * 1024,
  });
  const rpc = http2.createServer(handler);
  const ops = createOpsServer(readiness, options.metrics.registry);
  const sessions = new Set<http2.ServerHttp2Session>();
  rpc.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  return {
    async listen(host, port, opsPort) {
      await listenOn(rpc, host, port);
      await listenOn(ops, host, opsPort);
      return { port: (rpc.address() as AddressInfo).port, opsPort: (ops.address() as AddressInfo).port };
    },
    async close(graceMs) {
      readiness.drain();
      const rpcClosed = new Promise<void>((resolve) => rpc.close(() => resolve()));
      for (const session of sessions) session.close();
      const deadline = setTimeout(() => {
        logger.warn({ sessions: sessions.size }, 'grace period over, cutting off remaining calls');
        shutdown.abort();
        for (const session of sessions) session.destroy();
      }, graceMs);
      await rpcClosed;
      clearTimeout(deadline);
      await new Promise<void>((resolve) => ops.close(() => resolve()));
    },
  };
}

function listenOn(server: http2.Http2Server | http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
