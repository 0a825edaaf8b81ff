import { Counter, type Registry } from 'prom-client';

/** Gateway-only metrics, next to the platform's rpc_server_* (labelled per public method). */
export interface GatewayMetrics {
  rateLimited: Counter<'scope'>;
  upstreamRetries: Counter<'method'>;
  responseCache: Counter<'result'>;
}

/** `retryableMethods`: the policy keys of the methods the gateway may retry, so each retry series is born at zero. */
export function createGatewayMetrics(registry: Registry, retryableMethods: readonly string[] = []): GatewayMetrics {
  const metrics: GatewayMetrics = {
    rateLimited: new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests rejected by the rate limiter, by scope (ip or user).',
      labelNames: ['scope'],
      registers: [registry],
    }),
    upstreamRetries: new Counter({
      name: 'gateway_upstream_retries_total',
      help: 'Upstream call attempts repeated after unavailable, by public method.',
      labelNames: ['method'],
      registers: [registry],
    }),
    responseCache: new Counter({
      name: 'gateway_response_cache_total',
      help: 'Anonymous GETs of public cacheable methods looked up in the micro-cache, by result (hit or miss).',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
  for (const result of ['hit', 'miss']) metrics.responseCache.inc({ result }, 0);
  // Born at zero, so rate() and increase() see the first rejection and the first retry.
  for (const scope of ['ip', 'user']) metrics.rateLimited.inc({ scope }, 0);
  for (const method of retryableMethods) metrics.upstreamRetries.inc({ method }, 0);
  return metrics;
}
