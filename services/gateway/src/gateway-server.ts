import { createContextValues } from '@connectrpc/connect';
import { Access } from '@ordersystem/contracts/ordersystem/auth/v1/policy';
import { createServer, REFLECTION_SERVICES, type Runtime, type Server } from '@ordersystem/platform';
import type { TokenVerifier } from './auth/token-verifier.js';
import type { Upstreams } from './clients/upstreams.js';
import { createGatewayMetrics } from './gateway-metrics.js';
import { createAdminConsoleRoutes } from './http/admin-console-routes.js';
import { createAuthRoutes, type AuthRoutesOptions } from './http/auth-routes.js';
import { createDocsRoutes } from './http/docs-routes.js';
import { firstOf } from './http/plain-routes.js';
import { mountStripeWebhook, type StripeWebhookSettings } from './http/stripe-webhook-routes.js';
import { createDualProtocolServer } from './http/dual-protocol-server.js';
import { createRequestHandler } from './http/request-handler.js';
import { ResponseCache, type ResponseCacheOptions } from './http/response-cache.js';
import type { Limiter } from './limits/limiter.js';
import { cacheControl, type MethodPolicy } from './policy/policy-table.js';
import { routes } from './routes.js';
import { type RequestInfo, requestInfoKey } from './rpc/context.js';
import { policyInterceptor } from './rpc/policy-interceptor.js';

export interface GatewayServerOptions {
  runtime: Runtime;
  table: ReadonlyMap<string, MethodPolicy>;
  upstreams: Upstreams;
  /** Health of everything behind the gateway, for /readyz (information only). */
  probe: () => Promise<Record<string, string>>;
  verify: TokenVerifier;
  limiters: { ip: Limiter; user: Limiter };
  auth: Omit<AuthRoutesOptions, 'identity'>;
  http: {
    trustProxy: boolean;
    behindTls: boolean;
    corsOrigins: readonly string[];
    maxBodyBytes: number;
    /** See createRequestHandler; tests that read request lines leave these out (every line at info). */
    requestLogSample?: number;
    slowRequestMs?: number;
  };
  upstream: { timeoutMs: number; maxAttempts: number; retryBaseMs: number };
  /** The micro-cache for anonymous GETs of public cacheable methods; off when absent. */
  publicCache?: ResponseCacheOptions;
  /** POST /webhooks/stripe: signature-verified, forwarded to orders' internal PaymentEventService. */
  stripeWebhook?: StripeWebhookSettings;
}

const HEALTH_SERVICE = 'grpc.health.v1.Health';

/**
 * Builds (does not start) the public endpoint and the ops endpoint on the platform server, as the
 * edge: the one-port HTTP/1.1 + h2c front with its checks before Connect, and the access policy.
 */
export function createGatewayServer(o: GatewayServerOptions): Server {
  const { logger, metrics, readiness } = o.runtime;
  const gm = createGatewayMetrics(
    metrics.registry,
    [...o.table].flatMap(([key, p]) => (p.retryable ? [key] : [])),
  );
  const requestInfo = new WeakMap<object, RequestInfo>();
  const cacheControlByPath = new Map(
    [...o.table].flatMap(([key, p]) => (p.cache ? [[`/${key}`, cacheControl(p.cache)] as const] : [])),
  );
  const authRoutes = createAuthRoutes({ ...o.auth, identity: o.upstreams.identity });
  const adminConsole = createAdminConsoleRoutes();
  const publicCache = {
    cache: new ResponseCache(o.publicCache ?? { maxEntries: 0, maxEntryBytes: 0, maxTtlMs: 0 }),
    maxAgeByPath: new Map(
      [...o.table].flatMap(([key, p]) =>
        p.cache && !p.cache.private && p.access === Access.PUBLIC ? [[`/${key}`, p.cache.maxAgeSeconds] as const] : [],
      ),
    ),
    onLookup: (hit: boolean) => gm.responseCache.inc({ result: hit ? 'hit' : 'miss' }),
  };
  return createServer({
    service: o.runtime.service,
    logger,
    metrics,
    readiness,
    routes: routes({
      transports: o.upstreams.transports,
      table: o.table,
      upstream: o.upstream,
      onRetry: (method) => gm.upstreamRetries.inc({ method }),
    }),
    interceptors: [
      policyInterceptor({
        table: o.table,
        exempt: new Set([HEALTH_SERVICE, ...REFLECTION_SERVICES]),
        verify: o.verify,
        userLimiter: o.limiters.user,
        onRateLimited: (scope) => gm.rateLimited.inc({ scope }),
      }),
    ],
    readMaxBytes: o.http.maxBodyBytes,
    // Upstreams are reported, not required: one dead service must not take the whole API away.
    readinessDetails: async () => ({ upstreams: await o.probe() }),
    edge: {
      front: (connect) =>
        createDualProtocolServer(
          createRequestHandler({
            ...o.http,
            requestLogSample: o.http.requestLogSample ?? 1,
            slowRequestMs: o.http.slowRequestMs ?? 0,
            logger,
            ipLimiter: o.limiters.ip,
            onRateLimited: (scope) => gm.rateLimited.inc({ scope }),
            plainRoutes: firstOf(authRoutes, createDocsRoutes(), adminConsole, mountStripeWebhook(o)),
            cacheControlByPath,
            publicCache,
            requestInfo,
            connect,
          }),
        ),
      contextValues: (req) => {
        const values = createContextValues();
        const info = requestInfo.get(req);
        if (info) values.set(requestInfoKey, info);
        return values;
      },
      // Failures log with the request id, so every line about one request can be found by it.
      loggerFor: (req) => req.contextValues.get(requestInfoKey)?.log,
    },
  });
}
