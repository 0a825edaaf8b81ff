import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { createContextValues } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { createOpsServer, observeRpcs, type Runtime, registerHealth, serverTracing, type Server } from '@ordersystem/platform';
import type { TokenVerifier } from './auth/token-verifier.js';
import { createGatewayMetrics } from './gateway-metrics.js';
import { createAuthRoutes, type AuthRoutesOptions } from './http/auth-routes.js';
import { createDualProtocolServer } from './http/dual-protocol-server.js';
import type { Limiter } from './http/rate-limit.js';
import { createRequestHandler } from './http/request-handler.js';
import { cacheControl, type MethodPolicy } from './policy/policy-table.js';
import { PUBLIC_API } from './public-api.js';
import { type RequestInfo, requestInfoKey } from './rpc/context.js';
import { forwardingRoutes } from './rpc/forwarding-routes.js';
import { policyInterceptor } from './rpc/policy-interceptor.js';
import type { Upstreams } from './upstreams.js';

export interface GatewayServerOptions {
  runtime: Runtime;
  table: ReadonlyMap<string, MethodPolicy>;
  upstreams: Upstreams;
  /** Health of everything behind the gateway, for /readyz (information only). */
  probe: () => Promise<Record<string, string>>;
  verify: TokenVerifier;
  limiters: { ip: Limiter; user: Limiter };
  auth: Omit<AuthRoutesOptions, 'identity'>;
  http: { trustProxy: boolean; behindTls: boolean; corsOrigins: readonly string[]; maxBodyBytes: number };
  upstream: { timeoutMs: number; maxAttempts: number; retryBaseMs: number };
}

const HEALTH_SERVICE = 'grpc.health.v1.Health';

/** Builds (does not start) the public endpoint and the ops endpoint; main.ts listens. */
export function createGatewayServer(o: GatewayServerOptions): Server {
  const { logger, metrics, readiness } = o.runtime;
  const gm = createGatewayMetrics(metrics.registry);
  const shutdown = new AbortController();
  const requestInfo = new WeakMap<object, RequestInfo>();
  const connect = connectNodeAdapter({
    routes: (router) => {
      forwardingRoutes({
        ...o.upstream,
        upstreams: PUBLIC_API.map(({ service, upstream }) => ({ service, transport: o.upstreams.transports[upstream] })),
        table: o.table,
        onRetry: (method) => gm.upstreamRetries.inc({ method }),
      })(router);
      registerHealth(router, readiness, () => PUBLIC_API.map((p) => p.service.typeName));
    },
    interceptors: [
      serverTracing(),
      // Labelled by public service (the gateway serves several); failures log with the request id.
      observeRpcs({ metrics, loggerFor: (req) => req.contextValues.get(requestInfoKey)?.log, logRejections: true }),
      policyInterceptor({
        table: o.table,
        exempt: new Set([HEALTH_SERVICE]),
        verify: o.verify,
        userLimiter: o.limiters.user,
        onRateLimited: (scope) => gm.rateLimited.inc({ scope }),
      }),
    ],
    contextValues: (req) => {
      const values = createContextValues();
      const info = requestInfo.get(req);
      if (info) values.set(requestInfoKey, info);
      return values;
    },
    shutdownSignal: shutdown.signal,
    readMaxBytes: o.http.maxBodyBytes,
  });
  const cacheControlByPath = new Map(
    [...o.table].flatMap(([key, p]) => (p.cache ? [[`/${key}`, cacheControl(p.cache)] as const] : [])),
  );
  const handler = createRequestHandler({
    ...o.http,
    logger,
    ipLimiter: o.limiters.ip,
    onRateLimited: (scope) => gm.rateLimited.inc({ scope }),
    plainRoutes: createAuthRoutes({ ...o.auth, identity: o.upstreams.identity }),
    cacheControlByPath,
    requestInfo,
    connect,
  });
  const front = createDualProtocolServer(handler);
  // Upstreams are reported, not required: one dead service must not take the whole API away.
  const ops = createOpsServer(readiness, metrics.registry, async () => ({ upstreams: await o.probe() }));

  return {
    async listen(host, port, opsPort) {
      const bound = await front.listen(host, port);
      await new Promise<void>((resolve) => ops.listen(opsPort, host, resolve));
      return { port: bound, opsPort: (ops.address() as AddressInfo).port };
    },
    async close(graceMs) {
      readiness.drain();
      const deadline = setTimeout(() => {
        logger.warn('grace period over, cutting off remaining requests');
        shutdown.abort();
        front.force();
      }, graceMs);
      await front.close();
      clearTimeout(deadline);
      await new Promise<void>((resolve) => (ops as http.Server).close(() => resolve()));
    },
  };
}
