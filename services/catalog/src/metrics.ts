import { Counter, type Registry } from 'prom-client';

/** The catalog's own Prometheus metrics, beside the platform's RPC and worker metrics. */
export function createCatalogMetrics(registry: Registry) {
  const expired = new Counter({
    name: 'catalog_reservations_expired_total',
    help: 'Reserved stock given back to sale because its reservation expired (one per product of each expired reservation).',
    registers: [registry],
  });
  expired.inc(0);
  return { reservationsExpired: (products: number) => expired.inc(products) };
}
