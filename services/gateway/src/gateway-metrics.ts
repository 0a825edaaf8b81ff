import { Counter, type Registry } from 'prom-client';

/** Gateway-only metrics, next to the platform's rpc_server_* (labelled per public method). */
export interface GatewayMetrics {
  rateLimited: Counter<'scope'>;
  upstreamRetries: Counter<'method'>;
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
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
  };
  // Born at zero, so rate() and increase() see the first rejection; retries are per method and appear on first use.
  for (const scope of ['ip', 'user']) metrics.rateLimited.inc({ scope }, 0);
  return metrics;
}
