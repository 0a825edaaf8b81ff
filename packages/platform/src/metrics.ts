import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A service's Prometheus registry with the RPC metrics every service exports. */
export interface Metrics {
  registry: Registry;
  rpcRequests: Counter<'service' | 'method' | 'code'>;
  rpcDuration: Histogram<'service' | 'method' | 'code'>;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: service });
  collectDefaultMetrics({ register: registry });
  const labelNames = ['service', 'method', 'code'] as const;
  return {
    registry,
    rpcRequests: new Counter({
      name: 'rpc_server_requests_total',
      help: 'RPCs handled, by service, method and result code (ok counts as a code).',
      labelNames,
      registers: [registry],
    }),
    rpcDuration: new Histogram({
      name: 'rpc_server_duration_seconds',
      help: 'RPC handling time in seconds, by service, method and result code.',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
