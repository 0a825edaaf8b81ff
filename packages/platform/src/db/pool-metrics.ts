import type { MikroORM } from '@mikro-orm/postgresql';
import { Gauge, type Registry } from 'prom-client';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

/**
 * Pool saturation as Prometheus sees it: connections in use, idle, and requests waiting for one,
 * beside the pool's size. Read at scrape time, so nothing runs between scrapes.
 */
export function registerPoolMetrics(orm: MikroORM, registry: Registry): void {
  const pool = async (): Promise<PgPool> =>
    await (orm.em.getConnection() as unknown as { getNativeClient(): Promise<PgPool> }).getNativeClient();
  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by state: used (checked out), idle, waiting (requests queued for a connection).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const p = await pool();
      this.set({ state: 'used' }, p.totalCount - p.idleCount);
      this.set({ state: 'idle' }, p.idleCount);
      this.set({ state: 'waiting' }, p.waitingCount);
    },
  });
  new Gauge({
    name: 'db_pool_max',
    help: 'Largest number of connections the PostgreSQL pool may open.',
    registers: [registry],
    async collect() {
      this.set((await pool()).options.max ?? 10);
    },
  });
}
