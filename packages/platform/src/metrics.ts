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

/**
 * Wraps a measurement taken at scrape time (a database query, a broker round trip) so that a scrape
 * waits for it at most `deadlineMs`. A slow dependency must not stall /metrics past Prometheus's
 * scrape timeout, which would lose every other series of the service with it. At most one
 * measurement runs at a time: a scrape that finds one in flight waits for that one (within its own
 * deadline) instead of piling up another. Resolves undefined when the deadline passes or the
 * measurement fails, so the gauge keeps its last value.
 */
export function boundedMeasurement<T>(
  measure: () => Promise<T>,
  deadlineMs: number,
  onMissed: (reason: unknown) => void,
): () => Promise<T | undefined> {
  let inFlight: Promise<T | undefined> | undefined;
  return async () => {
    inFlight ??= measure()
      .catch((err: unknown) => {
        onMissed(err);
        return undefined;
      })
      .finally(() => {
        inFlight = undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        onMissed(new Error(`not measured within ${deadlineMs} ms`));
        resolve(undefined);
      }, deadlineMs);
    });
    try {
      return await Promise.race([inFlight, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * One set of metrics per registry, made on first use: several instances of a component (workers,
 * admission gates) share it and tell themselves apart by a label, since prom-client refuses to
 * register the same name twice.
 */
export function perRegistry<T>(create: (registry: Registry) => T): (registry: Registry) => T {
  const made = new WeakMap<Registry, T>();
  return (registry) => {
    let m = made.get(registry);
    if (m === undefined) {
      m = create(registry);
      made.set(registry, m);
    }
    return m;
  };
}
