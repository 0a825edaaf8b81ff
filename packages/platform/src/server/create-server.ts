import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import type { ConnectRouter, ContextValues, Interceptor, StreamRequest, UnaryRequest } from '@connectrpc/connect';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { identityInterceptor } from '../auth/identity.js';
import { type NodeHandler, type NodeRequest, createConnectHandler } from './connect-handler.js';
import { registerHealth } from './health.js';
import { inputChecks } from './input-checks.js';
import { validationInterceptor } from '../validation/validation-interceptor.js';
import { registerReflection } from './reflection.js';
import { observeRpcs, serverObservation, serverTracing, zeroRpcMetrics } from './interceptors.js';
import { DEFAULT_MAX_CONNECTION_AGE_MS, limitConnectionAge } from './connection-age.js';
import { createOpsServer } from './ops-server.js';
import { type Readiness } from './readiness.js';
import { markDecoded } from './request-decoding.js';
import { closeUnreadBodyWhenAnswered } from './unread-body.js';

export type { NodeHandler, NodeRequest, NodeResponse } from './connect-handler.js';
export { closeUnreadBodyWhenAnswered } from './unread-body.js';

/** The listener that accepts connections and hands requests to Connect. */
export interface FrontListener {
  /** Starts accepting on host:port (0 picks a free port); resolves with the bound port. */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting and lets open connections finish (GOAWAY, idle HTTP/1 closed); resolves when all are gone. */
  close(): Promise<void>;
  /** Cuts off whatever is still open (the grace period is over). */
  force(): void;
}

/**
 * What makes the public edge (the gateway) different from an internal service: its own listener
 * in front of Connect (one port for HTTP/1.1 and h2c, with checks before Connect), per-request
 * facts that listener established, and a logger per call. At the edge the identity headers are
 * never read (the edge verifies tokens itself), calls are labelled by the RPC's full service name
 * (it serves several) and expected rejections are logged too.
 */
export interface EdgeOptions {
  front: (connect: NodeHandler) => FrontListener;
  contextValues: (req: NodeRequest) => ContextValues;
  loggerFor: (req: UnaryRequest | StreamRequest) => Logger | undefined;
}

export interface ServerOptions {
  /** Short service name used in metrics labels and logs ("catalog"). */
  service: string;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  /** Registers the service's RPC implementations; gRPC health is added here. */
  routes: (router: ConnectRouter) => void;
  /** Extra interceptors, run inside tracing and error mapping (e.g. identity). */
  interceptors?: Interceptor[];
  /** Largest accepted request message. */
  readMaxBytes?: number;
  /** Information for /readyz that does not decide readiness (the gateway's upstreams). */
  readinessDetails?: () => Promise<Record<string, unknown>>;
  /** Set only by the public edge; internal services listen on plain h2c. */
  edge?: EdgeOptions;
  /** GOAWAY to each h2c connection at this age (0: never), so new replicas get callers too (connection-age.ts). */
  maxConnectionAgeMs?: number;
}

export interface Server {
  /** Starts the RPC and ops (HTTP/1.1) listeners; port 0 picks a free port. */
  listen(host: string, port: number, opsPort: number): Promise<{ port: number; opsPort: number }>;
  /**
   * Graceful stop: readiness flips to not-ready, listeners stop accepting, open HTTP/2 sessions
   * get GOAWAY so in-flight calls finish, and whatever is left after `graceMs` is cut off.
   */
  close(graceMs: number): Promise<void>;
}

/** Builds (does not start) a service's server; only main.ts and tests call listen. */
export function createServer(options: ServerOptions): Server {
  const { readiness, logger, edge } = options;
  const shutdown = new AbortController();
  const serviceNames: string[] = [];
  const observation = edge
    ? observeRpcs({ metrics: options.metrics, loggerFor: edge.loggerFor, logRejections: true })
    : serverObservation(options.service, options.metrics, logger);
  const connect = createConnectHandler({
    logger,
    routes: (router) => {
      options.routes(router);
      serviceNames.push(...new Set(router.handlers.map((h) => h.service.typeName)));
      registerHealth(router, readiness, () => serviceNames);
      registerReflection(router, () => router.handlers.map((h) => h.service));
      zeroRpcMetrics(
        options.metrics,
        router.handlers.map((h) => ({ service: edge ? h.service.typeName : options.service, method: h.method.name })),
      );
    },
    // markDecoded first: whatever fails after it is not a decoding failure. inputChecks last, so the
    // edge's access policy refuses a caller before any of its input is looked at.
    interceptors: [
      markDecoded,
      serverTracing(),
      observation,
      ...(edge ? [] : [identityInterceptor()]),
      ...(options.interceptors ?? []),
      inputChecks(),
      // The protovalidate constraints declared in the protos; behind the gateway, an invalid
      // request is refused as unauthenticated first when its caller may not call the method.
      validationInterceptor({ accessFirst: !edge }),
    ],
    contextValues: edge?.contextValues,
    shutdownSignal: shutdown.signal,
    readMaxBytes: options.readMaxBytes ?? 4 * 1024 * 1024,
  });
  const front = edge
    ? edge.front(connect)
    : h2cListener(connect, options.maxConnectionAgeMs ?? DEFAULT_MAX_CONNECTION_AGE_MS);
  const ops = createOpsServer(readiness, options.metrics.registry, options.readinessDetails);

  return {
    async listen(host, port, opsPort) {
      const bound = await front.listen(host, port);
      await listenOn(ops, host, opsPort);
      return { port: bound, opsPort: (ops.address() as AddressInfo).port };
    },
    async close(graceMs) {
      readiness.drain();
      const closed = front.close();
      const deadline = setTimeout(() => {
        logger.warn('grace period over, cutting off remaining calls');
        shutdown.abort();
        front.force();
      }, graceMs);
      await closed;
      clearTimeout(deadline);
      // Idle keep-alive connections (probes, scrapes) close now; busy ones after their response,
      // which says `Connection: close` while draining.
      const opsClosed = new Promise<void>((resolve) => ops.close(() => resolve()));
      ops.closeIdleConnections();
      await opsClosed;
    },
  };
}

/** Cleartext HTTP/2 with prior knowledge, as gRPC clients inside the cluster speak it. */
function h2cListener(handler: NodeHandler, maxConnectionAgeMs: number): FrontListener {
  const server = http2.createServer((req, res) => {
    closeUnreadBodyWhenAnswered(req, res);
    handler(req, res);
  });
  limitConnectionAge(server, maxConnectionAgeMs);
  const sessions = new Set<http2.ServerHttp2Session>();
  let closing = false;
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    // A connection accepted just before close gets GOAWAY too; its client retries elsewhere.
    if (closing) session.close();
  });
  return {
    async listen(host, port) {
      await listenOn(server, host, port);
      return (server.address() as AddressInfo).port;
    },
    close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close();
      return closed;
    },
    force() {
      for (const session of sessions) session.destroy();
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
